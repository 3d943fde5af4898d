import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, loopedFixture } from '../support/fixtures';
import { startHallo, validFields, type Harness } from '../support/hallo-harness';
import { multipartFrame } from '../support/multipart-frame';

/** The listener's fields around one audio file. */
const frame = (filename: string, type: string) =>
  multipartFrame(validFields, { filename, type }, 'arrivingBOUNDARY');

/** Sends a form around `audio` in 64 kB pieces; counts what the server took before it answered. */
async function streamUpload(hallo: Harness, audio: Buffer, filename: string, type: string) {
  const { head, tail, contentType } = frame(filename, type);
  const body = Buffer.concat([head, audio, tail]);
  let sent = 0;
  let answered = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (answered || sent >= body.length) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, 2));
      controller.enqueue(body.subarray(sent, sent + 65_536));
      sent += 65_536;
    },
  });
  const response = await fetch(`${hallo.url}/api/submissions`, {
    method: 'POST',
    body: stream,
    headers: { 'content-type': contentType },
    duplex: 'half',
  } as RequestInit);
  answered = true;
  const json = (await response.json()) as { error?: { code: string; message: string } };
  return { status: response.status, json, sentShare: Math.min(sent, body.length) / body.length };
}

/** Every decoder slot of the arriving checks is free again (no ffmpeg left behind). */
function expectDecodersFree(hallo: Harness): void {
  const releases = Array.from({ length: hallo.services.config.INSPECT_ARRIVING_CONCURRENCY }, () =>
    hallo.services.arrivingInspections.tryAcquire(),
  );
  expect(releases.every((release) => release !== undefined)).toBe(true);
  for (const release of releases) release?.();
}

/** What the server had read of the body when it refused it: from its metrics. */
async function bytesReadBeforeRefusal(hallo: Harness, code: string): Promise<number> {
  const metric = await hallo.services.metrics.earlyRefusalBytes.get();
  const sum = metric.values.find(
    (v) => v.metricName === 'hallo_upload_early_refusal_bytes_sum' && v.labels.code === code,
  );
  if (!sum) throw new Error(`no early refusal with ${code}`);
  return sum.value;
}

const ffmpegChildren = (): string =>
  execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)]).toString();

describe('uploads checked while they arrive', () => {
  let hallo: Harness;
  let scratch: string;
  let twentyMinutes: Buffer;
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'hallo-arriving-'));
    const file = loopedFixture('long-60s.webm', 20, path.join(scratch, 'twenty-minutes.webm'));
    twentyMinutes = readFileSync(file);
    hallo = await startHallo({
      driver: 'disk',
      worker: false,
      env: { UPLOAD_SLOW_GRACE_SECONDS: '3' },
    });
  });
  afterAll(async () => {
    await hallo?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(hallo.tempFiles()).toEqual([]);
    expectDecodersFree(hallo);
  });

  it('answers AUDIO_TOO_LONG for a 20-minute WebM after a small part of it', async () => {
    const answer = await streamUpload(hallo, twentyMinutes, 'long.webm', 'audio/webm');
    expect([answer.status, answer.json.error?.code]).toEqual([422, 'AUDIO_TOO_LONG']);
    expect(answer.json.error?.message).toMatch(/5 min|300/);
    // 5 of 20 minutes, plus what the pipes to the decoder hold. (The client has sent more:
    // loopback's socket buffers take megabytes the server never reads.)
    expect(await bytesReadBeforeRefusal(hallo, 'AUDIO_TOO_LONG')).toBeLessThan(
      twentyMinutes.length * 0.4,
    );
    expect(ffmpegChildren()).not.toMatch(/ffmpeg/);
  });

  it('answers UNSUPPORTED_AUDIO_FORMAT from the first bytes of a large non-audio file', async () => {
    const picture = Buffer.concat([readFileSync(fixture('image.png')), randomBytes(8 << 20)]);
    const answer = await streamUpload(hallo, picture, 'photo.m4a', 'audio/mp4');
    expect([answer.status, answer.json.error?.code]).toEqual([415, 'UNSUPPORTED_AUDIO_FORMAT']);
    expect(await bytesReadBeforeRefusal(hallo, 'UNSUPPORTED_AUDIO_FORMAT')).toBeLessThan(
      256 * 1024,
    );
  });

  it('cuts an upload that stalls mid-audio, and stops its decoder', async () => {
    const audio = readFileSync(fixture('chrome.webm'));
    const { head, contentType } = frame('a.webm', 'audio/webm');
    const answer = await new Promise<{ status: number; code?: string }>((resolve) => {
      const req = request(`${hallo.url}/api/submissions`, {
        method: 'POST',
        headers: { 'content-type': contentType },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, code: JSON.parse(text || '{}').error?.code }),
        );
      });
      req.on('error', () => resolve({ status: 0 }));
      req.write(head);
      req.write(audio.subarray(0, 16_384)); // the decoder starts, then nothing more comes
    });
    expect(answer).toEqual({ status: 408, code: 'UPLOAD_TOO_SLOW' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ffmpegChildren()).not.toMatch(/ffmpeg/);
  }, 20_000);

  it('still accepts a whole message streamed the same way', async () => {
    const answer = await streamUpload(
      hallo,
      readFileSync(fixture('long-60s.webm')),
      'a.webm',
      'audio/webm',
    );
    expect(answer.status).toBe(201);
    expect(answer.sentShare).toBe(1);
  });
});
