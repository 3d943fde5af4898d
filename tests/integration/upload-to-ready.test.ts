import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { loudness, probe } from '../support/measure-audio';
import type { S3Implementation } from '../support/s3-server';

const TARGET = -16;
const TRUE_PEAK = -1.5;

// S3 runs against two independent implementations (see tests/support/s3-server.ts).
const storages: Array<['disk' | 's3', S3Implementation | undefined]> = [
  ['disk', undefined],
  ['s3', 'fauxqs'],
  ['s3', 's3rver'],
];

describe.each(storages)('upload to ready clips (%s storage %s)', (driver, s3Server) => {
  let hallo: Harness;
  let downloads: string;

  beforeAll(async () => {
    hallo = await startHallo({ driver, s3Server });
    downloads = await mkdtemp(path.join(os.tmpdir(), 'hallo-downloads-'));
  });
  afterAll(async () => {
    await hallo?.stop();
    await rm(downloads, { recursive: true, force: true });
  });

  async function download(
    id: string,
    variant: string,
  ): Promise<{ file: string; disposition: string | null; type: string | null }> {
    let response = await hallo.admin(`/api/admin/submissions/${id}/audio/${variant}`);
    let disposition = response.headers.get('content-disposition');
    if (driver === 's3') {
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') as string);
      // The test server ignores response-content-disposition, so read what the link asks S3 for.
      disposition = location.searchParams.get('response-content-disposition');
      expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
      response = await fetch(location);
    }
    expect(response.status).toBe(200);
    const file = path.join(downloads, `${id}.${variant}`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return { file, disposition, type: response.headers.get('content-type') };
  }

  it.each([
    ['chrome.webm', 'webm', 'webm'],
    ['safari.mp4', 'mp4', 'm4a'],
    ['phone.m4a', 'mp4', 'm4a'],
  ])('%s becomes a normalised mono 48 kHz WAV and MP3', async (name, container, extension) => {
    const sent = await hallo.upload({
      audio: { path: fixture(name) },
      fields: { ...validFields, topic: 'Folge 42' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({ id: expect.stringMatching(/^[0-9A-Z]{26}$/), status: 'received' });
    const id = sent.body.id as string;

    const submission = await hallo.waitForProcessing(id, ['ready', 'failed']);
    expect(submission.processing.state).toBe('ready');
    expect(submission).toMatchObject({
      name: 'Anna aus Berlin',
      email: 'anna@example.org',
      topic: 'Folge 42',
      consent: {
        given: true,
        version: expect.any(String),
        textSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      original: { container, bytes: expect.any(Number) },
      review: { state: 'new' },
    });
    expect(submission.processing.outputLoudness.integratedLufs).toBeCloseTo(TARGET, 0);

    const wav = await download(id, 'wav');
    expect(wav.disposition).toMatch(
      /attachment; filename="\d{4}-\d{2}-\d{2}_anna-aus-berlin_[0-9a-z]{8}\.wav"/,
    );
    const wavFacts = await probe(wav.file);
    expect(wavFacts).toMatchObject({ codec: 'pcm_s24le', channels: 1, sampleRate: 48000 });
    expect(Math.abs(wavFacts.durationSeconds - submission.processing.durationSeconds)).toBeLessThan(
      0.1,
    );
    const measured = await loudness(wav.file);
    expect(Math.abs(measured.integratedLufs - TARGET)).toBeLessThanOrEqual(1);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(TRUE_PEAK + 0.2);

    const mp3 = await download(id, 'mp3');
    expect(await probe(mp3.file)).toMatchObject({ codec: 'mp3', channels: 1, sampleRate: 48000 });
    expect(Math.abs((await loudness(mp3.file)).integratedLufs - TARGET)).toBeLessThanOrEqual(1);

    const original = await download(id, 'original');
    expect((await probe(original.file)).codec).toMatch(/opus|aac/);

    const peaks = await hallo.admin(`/api/admin/submissions/${id}/peaks`);
    expect(peaks.status).toBe(200);
    const peaksBody = (await peaks.json()) as { samplesPerSecond: number; data: number[] };
    expect(peaksBody.data.length).toBeGreaterThan(
      submission.processing.durationSeconds * peaksBody.samplesPerSecond * 0.9,
    );
    expect(Math.max(...peaksBody.data)).toBeGreaterThan(0.1);

    const keys = await hallo.objectKeys();
    for (const suffix of [
      'listener.json',
      'processing.json',
      'clip.wav',
      'clip.mp3',
      'peaks.json',
      `original.${extension}`,
    ]) {
      expect(keys).toContain(`submissions/${id}/${suffix}`);
    }
    expect(hallo.tempFiles()).toEqual([]);
  });

  if (driver === 'disk') {
    it.each(['firefox.ogg', 'speech.mp3', 'speech.wav', 'speech.flac', 'quiet.wav', 'loud.wav'])(
      '%s is accepted and normalised too',
      async (name) => {
        const sent = await hallo.upload({ audio: { path: fixture(name) }, fields: validFields });
        expect(sent.status).toBe(201);
        const submission = await hallo.waitForProcessing(sent.body.id, ['ready', 'failed']);
        expect(submission.processing.state).toBe('ready');
        const wav = await download(sent.body.id, 'wav');
        const measured = await loudness(wav.file);
        expect(Math.abs(measured.integratedLufs - TARGET)).toBeLessThanOrEqual(1);
        expect(measured.truePeakDbtp).toBeLessThanOrEqual(TRUE_PEAK + 0.2);
      },
    );
  }

  it('lists the submissions newest first and filters by processing state', async () => {
    const all = await hallo.adminJson('/api/admin/submissions?limit=200');
    const expected = driver === 'disk' ? 9 : 3;
    expect(all.items).toHaveLength(expected);
    const ids = all.items.map((item: { id: string }) => item.id);
    expect(ids).toEqual([...ids].sort().reverse());
    const list = await hallo.adminJson('/api/admin/submissions?limit=2');
    expect(list.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(0, 2));
    expect(list.items[0]).toMatchObject({
      name: 'Anna aus Berlin',
      processing: 'ready',
      review: 'new',
    });
    const next = await hallo.adminJson(
      `/api/admin/submissions?limit=${expected - 2}&cursor=${list.nextCursor}`,
    );
    expect(next.items.map((item: { id: string }) => item.id)).toEqual(ids.slice(2));
    expect(next.nextCursor).toBeNull();
    const queued = await hallo.adminJson('/api/admin/submissions?processing=queued');
    expect(queued.items).toEqual([]);
  });
});
