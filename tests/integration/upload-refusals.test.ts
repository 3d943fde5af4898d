import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fixture } from '../support/fixtures';
import { lyingWavs } from '../support/lying-wav';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';

const MAX_BYTES = 2_000_000;

/** Nothing of a refused upload may remain: no object, no index entry, no idempotency claim, no temp file. */
async function expectNothingLeft(hallo: Harness): Promise<void> {
  expect(await hallo.objectKeys()).toEqual([]);
  expect(await hallo.redisKeys('sub:*')).toEqual([]);
  expect(await hallo.redisKeys('idx:*')).toEqual([]);
  expect(await hallo.redisKeys('idem:*')).toEqual([]);
  expect(hallo.tempFiles()).toEqual([]);
}

function rawPost(
  hallo: Harness,
  body: RequestInit['body'],
  headers: Record<string, string> = {},
  init: RequestInit = {},
) {
  return fetch(`${hallo.url}/api/submissions`, { method: 'POST', body, headers, ...init });
}

describe.each([
  ['checked while it arrives', 'true'],
  ['checked after its last byte', 'false'],
])(
  'upload refusals, %s (each with its code, a message, and nothing left behind)',
  (_, inspectWhileUploading) => {
    let hallo: Harness;
    beforeAll(async () => {
      hallo = await startHallo({
        driver: 'disk',
        worker: false,
        env: {
          MAX_UPLOAD_BYTES: String(MAX_BYTES),
          INSPECT_WHILE_UPLOADING: inspectWhileUploading,
        },
      });
    });
    afterAll(() => hallo?.stop());
    afterEach(() => expectNothingLeft(hallo));

    const audio = (name: string) => ({ path: fixture(name) });
    const wav = (bytes: Buffer) => ({ bytes, filename: 'message.wav', type: 'audio/wav' });

    it.each([
      ['FILE_REQUIRED', 400, {}, validFields],
      ['FILE_EMPTY', 422, { audio: audio('empty.bin') }, validFields],
      ['UNSUPPORTED_AUDIO_FORMAT', 415, { audio: audio('image.png') }, validFields],
      [
        'UNSUPPORTED_AUDIO_FORMAT',
        415,
        { audio: { ...audio('playlist.m3u'), type: 'audio/mpegurl' } },
        validFields,
      ],
      ['UNSUPPORTED_AUDIO_FORMAT', 415, { audio: audio('text.txt') }, validFields],
      [
        'UNSUPPORTED_AUDIO_FORMAT',
        415,
        { audio: { ...audio('fake-wav.wav'), type: 'audio/wav' } },
        validFields,
      ],
      ['AUDIO_CORRUPT', 422, { audio: audio('truncated.webm') }, validFields],
      ['AUDIO_CORRUPT', 422, { audio: audio('corrupt.mp3') }, validFields],
      ['AUDIO_TOO_LONG', 422, { audio: audio('too-long.webm') }, validFields],
      ['AUDIO_CORRUPT', 422, { audio: wav(lyingWavs.dataPastTheEnd()) }, validFields],
      ['AUDIO_CORRUPT', 422, { audio: wav(lyingWavs.fourGigabytes()) }, validFields],
      ['AUDIO_CORRUPT', 422, { audio: wav(lyingWavs.oddBlockAlign()) }, validFields],
      ['AUDIO_CORRUPT', 422, { audio: wav(lyingWavs.truncated()) }, validFields],
      ['AUDIO_TOO_SHORT', 422, { audio: audio('too-short.wav') }, validFields],
      ['AUDIO_SILENT', 422, { audio: audio('silent.webm') }, validFields],
      ['AUDIO_SILENT', 422, { audio: audio('near-silent.wav') }, validFields],
      ['NAME_INVALID', 422, { audio: audio('chrome.webm') }, { ...validFields, name: ' ' }],
      ['EMAIL_INVALID', 422, { audio: audio('chrome.webm') }, { ...validFields, email: 'anna@' }],
      [
        'MESSAGE_TOO_LONG',
        422,
        { audio: audio('chrome.webm') },
        { ...validFields, message: 'x'.repeat(2001) },
      ],
      ['CONSENT_REQUIRED', 422, { audio: audio('chrome.webm') }, { name: 'Anna' }],
      [
        'SPAM_SUSPECTED',
        422,
        { audio: audio('chrome.webm') },
        { ...validFields, website: 'https://buy.example' },
      ],
      ['UNEXPECTED_FIELD', 400, { audio: audio('chrome.webm') }, { ...validFields, color: 'blue' }],
    ])('%s (%i)', async (code, status, parts, fields) => {
      const response = await hallo.upload(
        { ...parts, fields: fields as Record<string, string> },
        { 'accept-language': 'en' },
      );
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
      expect(response.body.error.message.length).toBeGreaterThan(10);
    });

    it('answers in German for a German browser and in the form locale when given', async () => {
      const german = await hallo.upload(
        { audio: audio('silent.webm'), fields: validFields },
        { 'accept-language': 'de-DE,de;q=0.9' },
      );
      expect(german.body.error.message).toMatch(/nichts zu hören/);
      const english = await hallo.upload(
        { audio: audio('silent.webm'), fields: { ...validFields, locale: 'en' } },
        { 'accept-language': 'de' },
      );
      expect(english.body.error.message).toMatch(/cannot hear anything/);
    });

    it('TOO_MANY_FILES for two audio parts', async () => {
      const form = new FormData();
      for (const [k, v] of Object.entries(validFields)) form.append(k, v);
      const bytes = readFileSync(fixture('chrome.webm'));
      form.append('audio', new Blob([bytes]), 'a.webm');
      form.append('audio', new Blob([bytes]), 'b.webm');
      const response = await rawPost(hallo, form);
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.code).toBe('TOO_MANY_FILES');
    });

    it('UNEXPECTED_FIELD for a file under another name', async () => {
      const form = new FormData();
      for (const [k, v] of Object.entries(validFields)) form.append(k, v);
      form.append('picture', new Blob([readFileSync(fixture('image.png'))]), 'x.png');
      const response = await rawPost(hallo, form);
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.code).toBe('UNEXPECTED_FIELD');
    });

    it('UNSUPPORTED_MEDIA_TYPE for a JSON body', async () => {
      const response = await rawPost(hallo, JSON.stringify(validFields), {
        'content-type': 'application/json',
      });
      expect(response.status).toBe(415);
      expect(((await response.json()) as any).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('MALFORMED_REQUEST for a cut-off multipart body', async () => {
      const boundary = 'xyzBOUNDARYxyz';
      // Real audio bytes, so the check has nothing to refuse before the form breaks off.
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAnna\r\n--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="a.webm"\r\n\r\n`,
        ),
        readFileSync(fixture('chrome.webm')).subarray(0, 5000),
      ]);
      const response = await rawPost(hallo, body, {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).error.code).toBe('MALFORMED_REQUEST');
    });

    it('FILE_TOO_LARGE with a declared length: refused before the body is read', async () => {
      const response = await hallo.upload({
        audio: { bytes: randomBytes(MAX_BYTES + 200_000), filename: 'big.webm' },
        fields: validFields,
      });
      expect(response.status).toBe(413);
      expect(response.body.error.code).toBe('FILE_TOO_LARGE');
    });

    it('FILE_TOO_LARGE for a streamed (chunked) body that passes the limit', async () => {
      const boundary = 'streamBOUNDARY';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAnna\r\n--${boundary}\r\nContent-Disposition: form-data; name="consent"\r\n\r\ntrue\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="a.webm"\r\nContent-Type: audio/webm\r\n\r\n`,
      );
      const chunk = Buffer.concat([readFileSync(fixture('chrome.webm')), randomBytes(64 * 1024)]);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(head);
          if (sent > MAX_BYTES * 3) return controller.close();
          controller.enqueue(chunk);
          sent += chunk.length;
        },
      });
      const response = await rawPost(
        hallo,
        stream,
        { 'content-type': `multipart/form-data; boundary=${boundary}` },
        { duplex: 'half' } as RequestInit,
      );
      expect(response.status).toBe(413);
      expect(((await response.json()) as any).error.code).toBe('FILE_TOO_LARGE');
    });

    it('refuses a malformed Idempotency-Key', async () => {
      const response = await hallo.upload(
        { audio: audio('chrome.webm'), fields: validFields },
        { 'idempotency-key': 'bad key!' },
      );
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('IDEMPOTENCY_KEY_INVALID');
    });
  },
);

describe('rate limit', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      env: { RATE_LIMIT_UPLOADS: '2', RATE_LIMIT_WINDOW_SECONDS: '600' },
    });
  });
  afterAll(() => hallo?.stop());

  it('bounds all attempts too, refused or not', async () => {
    const strict = await startHallo({
      driver: 'disk',
      worker: false,
      env: { RATE_LIMIT_ATTEMPTS: '3', RATE_LIMIT_WINDOW_SECONDS: '600' },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await strict.upload({ fields: validFields })).status);
      expect(statuses).toEqual([400, 400, 400, 429]);
    } finally {
      await strict.stop();
    }
  });

  it('counts accepted messages against the budget, refusals only against the attempts', async () => {
    const send = (withAudio: boolean) =>
      hallo.upload({
        ...(withAudio && { audio: { path: fixture('chrome.webm') } }),
        fields: validFields,
      });
    const statuses: number[] = [];
    // Two of the client's own mistakes first: they must not use up the budget for messages.
    for (const withAudio of [false, false, true, true])
      statuses.push((await send(withAudio)).status);
    expect(statuses).toEqual([400, 400, 201, 201]);
    const limited = await send(true);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(hallo.tempFiles()).toEqual([]);
    expect((await hallo.objectKeys()).filter((k) => k.endsWith('listener.json'))).toHaveLength(2);
  });
});

describe('storage outage', () => {
  let hallo: Harness;
  beforeAll(async () => {
    hallo = await startHallo({ driver: 's3', worker: false });
  });
  afterAll(() => hallo?.stop());

  it('answers 503 STORAGE_UNAVAILABLE quickly and leaves no index entry or temp file', async () => {
    await hallo.s3?.stop();
    const started = Date.now();
    const response = await hallo.upload(
      { audio: { path: fixture('chrome.webm') }, fields: validFields },
      { 'idempotency-key': 'outage-key-1' },
    );
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('STORAGE_UNAVAILABLE');
    expect(response.headers.get('retry-after')).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(15000);
    expect(await hallo.redisKeys('sub:*')).toEqual([]);
    expect(await hallo.redisKeys('idem:*')).toEqual([]);
    expect(hallo.tempFiles()).toEqual([]);
    const ready = await fetch(`${hallo.url}/readyz`);
    expect(ready.status).toBe(503);
  });
});
