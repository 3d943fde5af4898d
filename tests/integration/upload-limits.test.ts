import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { fixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

/**
 * The upload limits with the defaults hallo ships, from one address (this machine), as a mobile
 * carrier's NAT or an attacker would produce them.
 */
const defaults = loadConfig({});
const DEFAULT_LIMITS = {
  RATE_LIMIT_UPLOADS: String(defaults.RATE_LIMIT_UPLOADS),
  RATE_LIMIT_ATTEMPTS: String(defaults.RATE_LIMIT_ATTEMPTS),
  RATE_LIMIT_IN_FLIGHT: String(defaults.RATE_LIMIT_IN_FLIGHT),
  RATE_LIMIT_SAME_AUDIO: String(defaults.RATE_LIMIT_SAME_AUDIO),
};

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'hallo-limits-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** `n` different valid recordings: the same speech with one sample changed in each. */
async function distinctRecordings(n: number): Promise<string[]> {
  const wav = readFileSync(fixture('speech-16k.wav'));
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const copy = Buffer.from(wav);
    copy.writeInt16LE(i, 44 + 2 * (1000 + i)); // one sample in the data chunk
    const file = path.join(scratch, `listener-${i}.wav`);
    await writeFile(file, copy);
    files.push(file);
  }
  return files;
}

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

describe('many listeners behind one address (default limits)', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 'disk', worker: false, env: DEFAULT_LIMITS });
  });
  afterAll(() => hallo?.stop());

  it('accepts 50 different messages from one address within a minute', async () => {
    const files = await distinctRecordings(50);
    const started = Date.now();
    // Five at a time: listeners of one carrier sending in the same minute.
    const answers = await inBatches(files, 5, (file) =>
      hallo.upload({ audio: { path: file }, fields: validFields }),
    );
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(60);
    expect(answers.map((a) => a.body.error?.code ?? a.status)).toEqual(Array(50).fill(201));
    expect(hallo.tempFiles()).toEqual([]);
  });

  it('accepts the same recording only a few times, from any number of attempts', async () => {
    const answers = await inBatches(
      Array.from({ length: 50 }, (_, i) => i),
      5,
      () => hallo.upload({ audio: { path: fixture('chrome.webm') }, fields: validFields }),
    );
    const codes = answers.map((a) => a.body.error?.code ?? a.status);
    expect(codes.filter((c) => c === 201)).toHaveLength(defaults.RATE_LIMIT_SAME_AUDIO);
    expect(codes.filter((c) => c === 'DUPLICATE_AUDIO')).toHaveLength(
      50 - defaults.RATE_LIMIT_SAME_AUDIO,
    );
    const refused = answers.find((a) => a.body.error?.code === 'DUPLICATE_AUDIO');
    expect(refused?.status).toBe(409);
    expect(refused?.body.error.message).toMatch(/schon bekommen|already received/);
    expect(hallo.tempFiles()).toEqual([]);
  });
});

/** An upload that sends its form head, then one byte every two seconds, never finishing. */
function stalledUpload(url: string): { answer: Promise<{ status: number; body: any }> } {
  const boundary = 'stallBOUNDARY';
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAnna\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="a.webm"\r\n` +
    `Content-Type: audio/webm\r\n\r\n`;
  const answer = new Promise<{ status: number; body: any }>((resolve) => {
    const req = request(`${url}/api/submissions`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    const drip = setInterval(() => req.write('x'), 2000);
    req.on('response', (res) => {
      clearInterval(drip);
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body: {} }));
    });
    req.on('error', () => {
      clearInterval(drip);
      resolve({ status: 0, body: {} });
    });
    req.write(head);
  });
  return { answer };
}

describe('stalled uploads', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      // The grace period shortened from 30 s, so the test waits seconds, not minutes.
      env: { ...DEFAULT_LIMITS, UPLOAD_SLOW_GRACE_SECONDS: '4' },
    });
  });
  afterAll(() => hallo?.stop());

  it('30 stalled uploads do not stop a normal one, and are cut with nothing left', async () => {
    const stalled = Array.from({ length: 30 }, () => stalledUpload(hallo.url));
    await new Promise((r) => setTimeout(r, 1000));
    const normal = await hallo.upload({
      audio: { path: fixture('chrome.webm') },
      fields: validFields,
    });
    expect([normal.status, normal.body.error?.code]).toEqual([201, undefined]);

    const answers = await Promise.all(stalled.map((s) => s.answer));
    expect(answers.map((a) => [a.status, a.body.error?.code])).toEqual(
      Array(30).fill([408, 'UPLOAD_TOO_SLOW']),
    );
    expect(answers[0]?.body.error.message).toMatch(/zu langsam|too slow/);
    await new Promise((r) => setTimeout(r, 200)); // multer removes the files as the sockets close
    expect(hallo.tempFiles()).toEqual([]);
    const cuts = await hallo.services.metrics.registry.getSingleMetricAsString(
      'hallo_upload_slow_cuts_total',
    );
    expect(cuts).toMatch(/hallo_upload_slow_cuts_total 30/);
  }, 60_000);
});

describe('a saturated intake', () => {
  let hallo: Harness;
  beforeAll(async () => {
    // No worker: the queue only grows. Its bound is tiny so two messages fill it.
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      env: { INTAKE_MAX_QUEUED_JOBS: '2' },
    });
  });
  afterAll(() => hallo?.stop());

  it('answers 503 INTAKE_BUSY with Retry-After instead of taking work it cannot finish', async () => {
    for (const name of ['chrome.webm', 'firefox.ogg'])
      expect(
        (await hallo.upload({ audio: { path: fixture(name) }, fields: validFields })).status,
      ).toBe(201);
    await new Promise((r) => setTimeout(r, 2100)); // the queue depth is read at most every 2 s
    const busy = await hallo.upload({
      audio: { path: fixture('speech.mp3') },
      fields: validFields,
    });
    expect(busy.status).toBe(503);
    expect(busy.body.error.code).toBe('INTAKE_BUSY');
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(hallo.tempFiles()).toEqual([]);
    expect((await hallo.objectKeys()).filter((k) => k.endsWith('listener.json'))).toHaveLength(2);
  });
});
