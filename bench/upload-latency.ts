/**
 * bench/upload-latency: what a listener on a phone waits for after the last byte has left. 5 and
 * 20 clients send 60 s messages at 1 Mbit/s each (a weak mobile uplink), and the time from the last
 * byte written to the answer is taken, against a bare multer-to-disk server and against hallo
 * checking after the upload (INSPECT_WHILE_UPLOADING=false), all in the same run. Then a 20-minute
 * WebM at 1 Mbit/s: how much of it hallo reads, and how long the listener waits, before the refusal.
 * Goal: for WebM, hallo's p95 after the last byte ≤ the baseline's + 150 ms; M4A reported.
 * Run: npm run build && npm run bench:upload-latency
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromeWebm, ensureSpeech, speech } from './support/audio';
import { cleanUp, portOf, startProcess, stopProcess } from './support/processes';

const ROOT = path.join(__dirname, '..');
/** A few listeners at once, and a burst (a newsletter has just gone out). */
const CLIENT_COUNTS = [5, 20];
const BYTES_PER_TICK = 12_500; // 1 Mbit/s in ticks of 100 ms
const TICK_MS = 100;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const METRICS_TOKEN = 'bench-metrics-token-0123456789';

interface Payload {
  label: string;
  bytes: Buffer;
  type: string;
  filename: string;
}

function makeAudio(dir: string): { payloads: Payload[]; tooLong: Payload } {
  ensureSpeech();
  const webm = chromeWebm(60, path.join(dir, 'message.webm'));
  // A phone's voice memo: AAC in MP4 with its index at the end (ffmpeg's default, no faststart).
  const m4a = speech(
    60,
    ['-ac', '1', '-c:a', 'aac', '-b:a', '64k', '-f', 'mp4'],
    path.join(dir, 'message.m4a'),
  );
  const long = chromeWebm(1200, path.join(dir, 'long.webm'));
  const payload = (label: string, file: string, type: string): Payload => ({
    label,
    bytes: readFileSync(file),
    type,
    filename: path.basename(file),
  });
  return {
    payloads: [
      payload('WebM/Opus 60 s', webm, 'audio/webm'),
      payload('M4A/AAC 60 s (index last)', m4a, 'audio/mp4'),
    ],
    tooLong: payload('WebM/Opus 20 min', long, 'audio/webm'),
  };
}

function multipart(payload: Payload, name: string): { body: Buffer; type: string } {
  const boundary = `----hallo-bench-${randomBytes(8).toString('hex')}`;
  const field = (key: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`;
  const head =
    field('name', name) +
    field('consent', 'true') +
    `--${boundary}\r\nContent-Disposition: form-data; name="audio"; filename="${payload.filename}"\r\n` +
    `Content-Type: ${payload.type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), payload.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    type: `multipart/form-data; boundary=${boundary}`,
  };
}

interface Sent {
  status: number;
  code?: string;
  /** From the last byte written (or the answer, if it came first) to the answer's end. */
  afterLastByteMs: number;
  totalMs: number;
  bytesWritten: number;
}

/** One upload, written at 1 Mbit/s; stops writing when an answer arrives early. */
function sendThrottled(port: number, payload: Payload, name: string): Promise<Sent> {
  const { body, type } = multipart(payload, name);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lastByteAt: number | undefined;
    let written = 0;
    let timer: NodeJS.Timeout | undefined;
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/submissions',
      headers: { 'content-type': type, 'content-length': body.length },
    });
    request.on('response', (response) => {
      clearTimeout(timer);
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        const now = performance.now();
        let code: string | undefined;
        try {
          code = JSON.parse(Buffer.concat(chunks).toString()).error?.code;
        } catch {
          /* not JSON */
        }
        request.destroy();
        resolve({
          status: response.statusCode ?? 0,
          code,
          afterLastByteMs: now - (lastByteAt ?? now),
          totalMs: now - started,
          bytesWritten: written,
        });
      });
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      if (lastByteAt === undefined && written < body.length) return; // cut off after an answer
      reject(error);
    });
    const tick = () => {
      const chunk = body.subarray(written, written + BYTES_PER_TICK);
      written += chunk.length;
      if (written >= body.length) {
        request.end(chunk, () => (lastByteAt = performance.now()));
        return;
      }
      request.write(chunk);
      timer = setTimeout(tick, TICK_MS);
    };
    tick();
  });
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

async function latencyRound(port: number, payload: Payload, label: string, clients: number) {
  const sent = await Promise.all(
    Array.from({ length: clients }, (_, i) => sendThrottled(port, payload, `Bench ${i}`)),
  );
  const bad = sent.filter((s) => s.status !== 201);
  if (bad.length)
    throw new Error(`${label}: ${bad.length} uploads failed (${bad[0]?.status} ${bad[0]?.code})`);
  const after = sent.map((s) => s.afterLastByteMs);
  return { label, p50: percentile(after, 50), p95: percentile(after, 95) };
}

function startHallo(work: string, prefix: string, inspectWhileUploading: boolean) {
  const name = inspectWhileUploading ? 'while' : 'after';
  return startProcess(
    process.execPath,
    [path.join(ROOT, 'dist/main.js'), 'api'],
    {
      ...process.env,
      PORT: '0',
      REDIS_URL,
      REDIS_PREFIX: `${prefix}-${name}`,
      STORAGE_DIR: path.join(work, `storage-${name}`),
      TEMP_DIR: path.join(work, `tmp-${name}`),
      INSPECT_WHILE_UPLOADING: String(inspectWhileUploading),
      METRICS_TOKEN,
      RATE_LIMIT_UPLOADS: '0',
      RATE_LIMIT_ATTEMPTS: '0',
      RATE_LIMIT_IN_FLIGHT: '0',
      RATE_LIMIT_SAME_AUDIO: '0',
      LOG_LEVEL: 'info', // the start-up line we wait for is logged at info
    },
    (l) => l.includes('hallo is listening'),
  );
}

/** hallo_upload_early_refusal_bytes_sum for a code, from /metrics. */
async function refusalBytes(port: number, code: string): Promise<number | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const line = (await response.text())
    .split('\n')
    .find((l) => l.startsWith(`hallo_upload_early_refusal_bytes_sum{code="${code}"`));
  return line ? Number(line.split(' ').pop()) : undefined;
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'hallo-bench-latency-'));
  const prefix = `hallo-bench-${randomBytes(4).toString('hex')}`;
  const { payloads, tooLong } = makeAudio(work);
  mkdirSync(path.join(work, 'bare'));
  const servers = await Promise.all([
    startProcess(
      process.execPath,
      [path.join(__dirname, 'support/bare-multer-server.js'), path.join(work, 'bare')],
      process.env,
      (l) => l.startsWith('{'),
    ),
    startHallo(work, prefix, false),
    startHallo(work, prefix, true),
  ]);
  const [bare, after, whileArriving] = servers.map(portOf) as [number, number, number];
  try {
    console.log('Clients at 1 Mbit/s each; time from the last byte sent to the answer (ms)');
    for (const payload of payloads) {
      for (const clients of CLIENT_COUNTS) {
        console.log(
          `\n${payload.label}, ${(payload.bytes.length / 1e6).toFixed(2)} MB, ${clients} clients`,
        );
        const rows = [
          await latencyRound(bare, payload, 'bare multer → disk', clients),
          await latencyRound(after, payload, 'hallo, check after upload', clients),
          await latencyRound(whileArriving, payload, 'hallo, check while arriving', clients),
        ];
        for (const r of rows)
          console.log(
            `${r.label.padEnd(30)} p50 ${r.p50.toFixed(0).padStart(6)}  p95 ${r.p95.toFixed(0).padStart(6)}`,
          );
        const [base, , on] = rows as [{ p95: number }, unknown, { p95: number }];
        const over = on.p95 - base.p95;
        console.log(
          `p95 over the baseline: ${over.toFixed(0)} ms (goal ≤ 150 ms) ${over <= 150 ? 'met' : 'NOT met'}`,
        );
      }
    }

    console.log(
      `\n${tooLong.label}, ${(tooLong.bytes.length / 1e6).toFixed(2)} MB at 1 Mbit/s (limit 5 min)`,
    );
    for (const [label, port] of [
      ['hallo, check after upload', after],
      ['hallo, check while arriving', whileArriving],
    ] as const) {
      const sent = await sendThrottled(port, tooLong, 'Too long');
      const read = await refusalBytes(port, sent.code ?? '');
      console.log(
        `${label.padEnd(30)} ${sent.status} ${sent.code} after ${(sent.totalMs / 1000).toFixed(1)} s; ` +
          `sent ${((sent.bytesWritten / tooLong.bytes.length) * 100).toFixed(0)} %` +
          (read === undefined
            ? ''
            : `, read ${((read / tooLong.bytes.length) * 100).toFixed(0)} % before the refusal`),
      );
    }
  } finally {
    await Promise.all(servers.map((s) => stopProcess(s.child)));
    await cleanUp(REDIS_URL, `${prefix}-*`, work);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
