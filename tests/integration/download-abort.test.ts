import { Writable } from 'node:stream';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('a client that stops reading a download', () => {
  let hallo: Harness;
  const lines: Array<{ level: number; msg: string }> = [];
  beforeAll(async () => {
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as { level: number; msg: string });
        done();
      },
    });
    hallo = await startHallo({ driver: 'disk', log, env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(() => hallo.stop());

  it('is not a server error: nothing at warn or above, and the next download works', async () => {
    const sent = await hallo.upload({
      audio: { path: fixture('long-60s.webm') },
      fields: validFields,
    });
    await hallo.waitForProcessing(sent.body.id, ['ready']);
    const url = `/api/admin/submissions/${sent.body.id}/audio/wav`;
    for (let i = 0; i < 3; i++) {
      const stop = new AbortController();
      const response = await hallo.admin(url, { signal: stop.signal });
      const reader = response.body!.getReader();
      await reader.read();
      stop.abort();
      await reader.cancel().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([]);
    expect(lines.some((l) => l.msg === 'client stopped reading')).toBe(true);
    const whole = await hallo.admin(url);
    expect((await whole.arrayBuffer()).byteLength).toBeGreaterThan(5e6);
  });
});
