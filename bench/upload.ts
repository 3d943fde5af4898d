/**
 * bench/upload: 50 concurrent uploads against hallo's API on the disk driver, and the same against
 * a bare multer-to-disk Express server measured in the same run, in two rounds: 5.2 MB WAVs
 * (measured in Node) and 60 s WebM/Opus messages as Chrome records them (decoded by ffmpeg while
 * they arrive; measured beside ffmpeg's check alone, its floor). Goals: throughput ≥ 80 % of the
 * baseline in both; the API's peak RSS growth < 100 MB.
 * Run: npm run build && npm run bench:upload
 */
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openAsBlob,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspectStreamArgs } from '../src/audio/ffmpeg-args';
import { runProcess } from '../src/audio/run-process';
import { chromeWebm, ensureSpeech, speech } from './support/audio';
import {
  cleanUp,
  portOf,
  rssMb,
  startProcess,
  stopProcess,
  watchPeakRss,
} from './support/processes';

const ROOT = path.join(__dirname, '..');
const CONCURRENCY = 50;
const ROUNDS = 3;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Payload {
  label: string;
  file: string;
  type: string;
  filename: string;
  /** ffmpeg's name for the container, where intake decodes it with ffmpeg. */
  ffmpegFormat?: string;
}

function makeAudio(dir: string): Payload[] {
  ensureSpeech();
  // 16-bit mono 48 kHz is 96 kB/s: 54 s of looped speech is just over 5 MB.
  const wav = speech(
    54,
    ['-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le'],
    path.join(dir, 'five-megabytes.wav'),
  );
  const webm = chromeWebm(60, path.join(dir, 'sixty-seconds.webm'));
  return [
    { label: 'WAV 54 s', file: wav, type: 'audio/wav', filename: 'message.wav' },
    {
      label: 'WebM 60 s',
      file: webm,
      type: 'audio/webm',
      filename: 'message.webm',
      ffmpegFormat: 'matroska',
    },
  ];
}

async function uploadRound(
  url: string,
  payload: Payload,
): Promise<{ seconds: number; statuses: number[] }> {
  const blob = await openAsBlob(payload.file, { type: payload.type });
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      const form = new FormData();
      form.append('name', `Bench ${i}`);
      form.append('consent', 'true');
      form.append('audio', blob, payload.filename);
      const response = await fetch(`${url}/api/submissions`, { method: 'POST', body: form });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  return { seconds: (performance.now() - started) / 1000, statuses };
}

async function measure(label: string, url: string, pid: number, payload: Payload) {
  await uploadRound(url, payload); // warm-up
  const before = rssMb(pid);
  const watch = watchPeakRss(pid);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const { seconds, statuses } = await uploadRound(url, payload);
    const bad = statuses.filter((s) => s !== 201);
    if (bad.length)
      throw new Error(`${label}: ${bad.length} uploads failed (${[...new Set(bad)].join(', ')})`);
    times.push(seconds);
  }
  const peak = watch.stop();
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
  const mbPerSecond = (CONCURRENCY * statSync(payload.file).size) / 1e6 / median;
  return { label, median, mbPerSecond, rssBefore: before, rssGrowth: peak - before };
}

/**
 * The floor for a decoded format: the same ffmpeg check hallo runs, 50 times from a pipe, as
 * many at once as hallo's default pools allow, and nothing else (no HTTP, no storage).
 */
async function decodeFloor(payload: Payload & { ffmpegFormat: string }): Promise<number> {
  const args = inspectStreamArgs({ ffmpegFormat: payload.ffmpegFormat, capSeconds: 330 });
  const decode = () =>
    runProcess('ffmpeg', args, { timeoutMs: 60_000, stdin: createReadStream(payload.file) });
  const atOnce = 12 * os.availableParallelism(); // arriving (8 × cores) + finished (4 × cores)
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(atOnce, CONCURRENCY) }, async () => {
        while (next++ < CONCURRENCY) await decode();
      }),
    );
    times.push((performance.now() - started) / 1000);
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

function report(payload: Payload, base: Measured, ours: Measured, floor?: number): void {
  const ratio = ours.mbPerSecond / base.mbPerSecond;
  console.log(
    `\n${payload.label}: ${CONCURRENCY} concurrent uploads × ${(statSync(payload.file).size / 1e6).toFixed(2)} MB, median of ${ROUNDS} rounds`,
  );
  for (const r of [base, ours])
    console.log(
      `${r.label.padEnd(22)} ${r.median.toFixed(2)} s/round  ${r.mbPerSecond.toFixed(1).padStart(6)} MB/s  ${((CONCURRENCY / r.median) | 0).toString().padStart(4)} uploads/s  RSS ${r.rssBefore.toFixed(0)} MB, peak growth ${r.rssGrowth.toFixed(0)} MB`,
    );
  console.log(
    `throughput hallo/baseline: ${(ratio * 100).toFixed(0)} % (goal ≥ 80 %) ${ratio >= 0.8 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `hallo peak RSS growth: ${ours.rssGrowth.toFixed(0)} MB (goal < 100 MB) ${ours.rssGrowth < 100 ? 'met' : 'NOT met'}`,
  );
  if (floor !== undefined)
    console.log(
      `ffmpeg's check alone, ${CONCURRENCY} decodes: ${floor.toFixed(2)} s; hallo/floor: ${(ours.median / floor).toFixed(2)}×`,
    );
}

type Measured = Awaited<ReturnType<typeof measure>>;

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'hallo-bench-upload-'));
  const prefix = `hallo-bench-${randomBytes(4).toString('hex')}`;
  const payloads = makeAudio(work);
  mkdirSync(path.join(work, 'bare'));
  const baseline = await startProcess(
    process.execPath,
    [path.join(__dirname, 'support/bare-multer-server.js'), path.join(work, 'bare')],
    process.env,
    (l) => l.startsWith('{'),
  );
  const hallo = await startProcess(
    process.execPath,
    [path.join(ROOT, 'dist/main.js'), 'api'],
    {
      ...process.env,
      PORT: '0',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      STORAGE_DIR: path.join(work, 'storage'),
      TEMP_DIR: path.join(work, 'tmp'),
      RATE_LIMIT_UPLOADS: '0',
      RATE_LIMIT_ATTEMPTS: '0',
      RATE_LIMIT_IN_FLIGHT: '0',
      RATE_LIMIT_SAME_AUDIO: '0',
      LOG_LEVEL: 'info',
    },
    (l) => l.includes('hallo is listening'),
  );
  try {
    for (const payload of payloads) {
      const base = await measure(
        'bare multer → disk',
        `http://127.0.0.1:${portOf(baseline)}`,
        baseline.child.pid as number,
        payload,
      );
      const ours = await measure(
        'hallo API (disk)',
        `http://127.0.0.1:${portOf(hallo)}`,
        hallo.child.pid as number,
        payload,
      );
      const floor = payload.ffmpegFormat
        ? await decodeFloor({ ...payload, ffmpegFormat: payload.ffmpegFormat })
        : undefined;
      report(payload, base, ours, floor);
      rmSync(path.join(work, 'bare'), { recursive: true, force: true });
      mkdirSync(path.join(work, 'bare'));
    }
    console.log(`\ntemp files left: ${readdirSync(path.join(work, 'tmp')).length}`);
  } finally {
    await stopProcess(hallo.child);
    await stopProcess(baseline.child);
    await cleanUp(REDIS_URL, `${prefix}:*`, work);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
