import { fixture } from '../support/fixtures';
import { ADMIN_TOKEN, startHallo, validFields, type Harness } from '../support/hallo-harness';

describe('admin API and health (worker stopped, so submissions stay queued)', () => {
  let hallo: Harness;
  let id: string;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false });
    id = (await hallo.upload({ audio: { path: fixture('chrome.webm') }, fields: validFields })).body
      .id;
  });
  afterAll(() => hallo?.stop());

  it.each([
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token-at-all' }],
    ['another scheme', { authorization: `Basic ${ADMIN_TOKEN}` }],
  ])('refuses %s with 401 UNAUTHORIZED', async (_label, headers) => {
    for (const path of [
      '/api/admin/submissions',
      `/api/admin/submissions/${id}`,
      `/api/admin/submissions/${id}/audio/original`,
    ]) {
      const response = await fetch(`${hallo.url}${path}`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await response.json()) as any).error.code).toBe('UNAUTHORIZED');
    }
  });

  it('shows a queued submission, and refuses its clips until they exist', async () => {
    const submission = await hallo.adminJson(`/api/admin/submissions/${id}`);
    expect(submission.processing.state).toBe('queued');
    expect(submission.processing.durationSeconds).toBeGreaterThan(5);
    const wav = await hallo.admin(`/api/admin/submissions/${id}/audio/wav`);
    expect(wav.status).toBe(409);
    expect(((await wav.json()) as any).error.code).toBe('NOT_READY');
    expect((await hallo.admin(`/api/admin/submissions/${id}/peaks`)).status).toBe(409);
  });

  it('serves the original with byte ranges, for seeking in a player', async () => {
    const whole = Buffer.from(
      await (await hallo.admin(`/api/admin/submissions/${id}/audio/original`)).arrayBuffer(),
    );
    const part = await hallo.admin(`/api/admin/submissions/${id}/audio/original`, {
      headers: { range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(whole.subarray(100, 200));
    const beyond = await hallo.admin(`/api/admin/submissions/${id}/audio/original`, {
      headers: { range: `bytes=${whole.length + 10}-` },
    });
    expect(beyond.status).toBe(416);
  });

  it('answers 404 for unknown ids and variants, 400 for a bad query', async () => {
    expect((await hallo.admin('/api/admin/submissions/01JDQ7Z8X9K3M5N7P9R1T3V5W7')).status).toBe(
      404,
    );
    expect((await hallo.admin('/api/admin/submissions/not-an-id')).status).toBe(404);
    expect((await hallo.admin(`/api/admin/submissions/${id}/audio/flac`)).status).toBe(404);
    const bad = await hallo.admin('/api/admin/submissions?processing=done&limit=5');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('INVALID_QUERY');
  });

  it('reports alive and ready', async () => {
    expect(await (await fetch(`${hallo.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${hallo.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { redis: 'ok', storage: 'ok' } });
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false, env: { ADMIN_TOKEN: '' } });
  });
  afterAll(() => hallo?.stop());

  it('is closed to everyone', async () => {
    const response = await hallo.admin('/api/admin/submissions');
    expect(response.status).toBe(401);
  });
});
