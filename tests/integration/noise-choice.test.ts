import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rebuildIndex } from '../../src/submissions/rebuild-index';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { cleanMessage, mix, RATE, readPcm, writeWav } from '../support/noisy-speech';
import { tonePower } from '../../src/audio/hum';

const json = (body: unknown): RequestInit => ({
  method: 'PATCH',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

describe('the author switches a clip between cleaned and original (real worker)', () => {
  let hallo: Harness;
  let scratch: string;
  let upload: string;
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'hallo-noise-choice-'));
    upload = path.join(scratch, 'kitchen.wav');
    writeWav(mix(cleanMessage('de'), 'hum', 10), upload);
    hallo = await startHallo({ driver: 'disk' });
  }, 60_000);
  afterAll(async () => {
    await hallo?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** 50 Hz hum and harmonics in the clip's first 150 ms (the pause before the first word), dB. */
  async function humInClip(id: string): Promise<number> {
    const response = await hallo.admin(`/api/admin/submissions/${id}/audio/wav`);
    const file = path.join(scratch, `${id}.wav`);
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const pcm = readPcm(file);
    const hum = [50, 100, 150, 200].reduce(
      (sum, hz) => sum + tonePower(pcm, 0, Math.round(0.15 * RATE), hz, RATE),
      0,
    );
    return 10 * Math.log10(hum);
  }

  async function waitUntilRendered(id: string, choice: 'auto' | 'original') {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = await hallo.adminJson(`/api/admin/submissions/${id}`);
      if (s.processing.state === 'ready' && s.processing.noise?.choice === choice) return s;
      if (Date.now() > deadline)
        throw new Error(`not rendered as ${choice}: ${JSON.stringify(s.processing)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('renders again without the noise stage and back, and keeps the choice through a reindex', async () => {
    const sent = await hallo.upload({
      audio: { path: upload, type: 'audio/wav' },
      fields: validFields,
    });
    expect(sent.status).toBe(201);
    const id: string = sent.body.id;
    const cleaned = await waitUntilRendered(id, 'auto');
    expect(cleaned.processing.noise).toMatchObject({ humHz: 50 });
    expect(cleaned.review.noise).toBeUndefined();
    const cleanedHum = await humInClip(id);

    const switched = await hallo.admin(`/api/admin/submissions/${id}`, json({ noise: 'original' }));
    expect(switched.status).toBe(200);
    const body = await switched.json();
    expect([body.review.noise, body.processing.state]).toEqual(['original', 'queued']);
    // Never shown as ready with the old render while the new one is due.
    for (let look = 0; look < 20; look++) {
      const s = await hallo.adminJson(`/api/admin/submissions/${id}`);
      if (s.processing.state === 'ready') expect(s.processing.noise.choice).toBe('original');
    }
    const original = await waitUntilRendered(id, 'original');
    expect(original.processing.noise).toEqual({ choice: 'original', untouched: 'original' });
    expect((await humInClip(id)) - cleanedHum).toBeGreaterThan(20);

    // The choice is the review document's: a rebuilt index and a repeated job keep it.
    await rebuildIndex(hallo.services.documents, hallo.services.index);
    await hallo.services.queues.requeue('transcode', { submissionId: id });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await hallo.adminJson(`/api/admin/submissions/${id}`);
    expect(after.review.noise).toBe('original');
    expect(after.processing).toMatchObject({
      state: 'ready',
      updatedAt: original.processing.updatedAt,
    });

    // Choosing what is already chosen renders nothing.
    const same = await (
      await hallo.admin(`/api/admin/submissions/${id}`, json({ noise: 'original' }))
    ).json();
    expect(same.processing.state).toBe('ready');

    const back = await hallo.admin(`/api/admin/submissions/${id}`, json({ noise: 'auto' }));
    expect((await back.json()).review.noise).toBeUndefined();
    const again = await waitUntilRendered(id, 'auto');
    expect(again.processing.noise).toMatchObject({ humHz: 50 });
    expect(Math.abs((await humInClip(id)) - cleanedHum)).toBeLessThan(3);
  }, 90_000);

  it('follows a switch made while the message is still being rendered', async () => {
    const sent = await hallo.upload({
      audio: { path: upload, type: 'audio/wav' },
      fields: validFields,
    });
    const id: string = sent.body.id;
    await hallo.waitForProcessing(id, ['processing', 'ready']);
    const switched = await hallo.admin(`/api/admin/submissions/${id}`, json({ noise: 'original' }));
    expect(switched.status).toBe(200);
    const done = await waitUntilRendered(id, 'original');
    expect(done.processing.noise.untouched).toBe('original');
  }, 60_000);

  it('keeps the author’s choice when DENOISE=off, and renders without the stage', async () => {
    const off = await startHallo({ driver: 'disk', env: { DENOISE: 'off' } });
    try {
      const sent = await off.upload({
        audio: { path: upload, type: 'audio/wav' },
        fields: validFields,
      });
      const ready = await off.waitForProcessing(sent.body.id, ['ready']);
      expect(ready.processing.noise).toEqual({ choice: 'auto', untouched: 'disabled' });
    } finally {
      await off.stop();
    }
  }, 60_000);

  it('refuses a noise choice that does not exist', async () => {
    const sent = await hallo.upload({
      audio: { path: upload, type: 'audio/wav' },
      fields: validFields,
    });
    const response = await hallo.admin(
      `/api/admin/submissions/${sent.body.id}`,
      json({ noise: 'loud' }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('INVALID_BODY');
  });
});
