/**
 * bench/upload: 50 concurrent uploads of 5 MB each against hallo's API on the disk driver, and the
 * same against a bare multer-to-disk Express server measured in the same run.
 * Goals: throughput ≥ 80 % of the baseline; the API's peak RSS growth < 100 MB.
 * Run: npm run build && npm run bench:upload
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openAsBlob, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { rssMb, startProcess, stopProcess, watchPeakRss } from './support/processes';

const ROOT = path.join(__dirname, '..');
const CONCURRENCY = 50;
const ROUNDS = 3;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function makeAudio(dir: string): string {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'make-fixtures.sh')], { stdio: 'inherit' });
  const file = path.join(dir, 'five-megabytes.wav');
  // 16-bit mono 48 kHz is 96 kB/s: 54 s of looped speech is just over 5 MB.
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-stream_loop',
    '-1',
    '-i',
    path.join(ROOT, 'tests/fixtures/generated/speech.wav'),
    '-t',
    '54',
    '-ar',
    '48000',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
    '-y',
    file,
  ]);
  return file;
}

async function uploadRound(
  url: string,
  file: string,
): Promise<{ seconds: number; statuses: number[] }> {
  const blob = await openAsBlob(file, { type: 'audio/wav' });
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      const form = new FormData();
      form.append('name', `Bench ${i}`);
      form.append('consent', 'true');
      form.append('audio', blob, 'message.wav');
      const response = await fetch(`${url}/api/submissions`, { method: 'POST', body: form });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  return { seconds: (performance.now() - started) / 1000, statuses };
}

async function measure(label: string, url: string, pid: number, file: string) {
  await uploadRound(url, file); // warm-up
  const before = rssMb(pid);
  const watch = watchPeakRss(pid);
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const { seconds, statuses } = await uploadRound(url, file);
    const bad = statuses.filter((s) => s !== 201);
    if (bad.length)
      throw new Error(`${label}: ${bad.length} uploads failed (${[...new Set(bad)].join(', ')})`);
    times.push(seconds);
  }
  const peak = watch.stop();
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
  const mbPerSecond = (CONCURRENCY * statSync(file).size) / 1e6 / median;
  return { label, median, mbPerSecond, rssBefore: before, rssGrowth: peak - before };
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'hallo-bench-upload-'));
  const prefix = `hallo-bench-${randomBytes(4).toString('hex')}`;
  const file = makeAudio(work);
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
    const base = await measure(
      'bare multer → disk',
      `http://127.0.0.1:${portOf(baseline)}`,
      baseline.child.pid as number,
      file,
    );
    const ours = await measure(
      'hallo API (disk)',
      `http://127.0.0.1:${portOf(hallo)}`,
      hallo.child.pid as number,
      file,
    );
    const ratio = ours.mbPerSecond / base.mbPerSecond;
    const rows = [base, ours].map(
      (r) =>
        `${r.label.padEnd(22)} ${r.median.toFixed(2)} s/round  ${r.mbPerSecond.toFixed(0).padStart(5)} MB/s  RSS ${r.rssBefore.toFixed(0)} MB, peak growth ${r.rssGrowth.toFixed(0)} MB`,
    );
    console.log(
      `\n${CONCURRENCY} concurrent uploads × ${(statSync(file).size / 1e6).toFixed(1)} MB, median of ${ROUNDS} rounds`,
    );
    for (const row of rows) console.log(row);
    console.log(
      `throughput hallo/baseline: ${(ratio * 100).toFixed(0)} % (goal ≥ 80 %) ${ratio >= 0.8 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `hallo peak RSS growth: ${ours.rssGrowth.toFixed(0)} MB (goal < 100 MB) ${ours.rssGrowth < 100 ? 'met' : 'NOT met'}`,
    );
    console.log(`temp files left: ${readdirSync(path.join(work, 'tmp')).length}`);
  } finally {
    await stopProcess(hallo.child);
    await stopProcess(baseline.child);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Both servers print their port in a JSON line: the baseline alone, hallo in its start-up log. */
const portOf = (started: { readyLine: string }): number =>
  (JSON.parse(started.readyLine) as { port: number }).port;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
