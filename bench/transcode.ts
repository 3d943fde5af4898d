/**
 * bench/transcode: one 60 s Chrome-style WebM (no header duration), timed in one run (median
 * of 3 after a warm-up) three ways:
 *   floor   ffmpeg -i in -f null -                       (decode only)
 *   recipe  two-pass loudnorm to WAV (pass-1 values fed to pass 2) + MP3 encoded from the WAV
 *   hallo   transcodeToClips (src/audio/transcode.ts)
 * Goals: recipe/hallo >= 3, hallo/floor <= 4, output within ±0.5 LU of the target.
 * Figures are printed, not asserted. Run: npm run bench:transcode  (= npx tsx bench/transcode.ts)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProcess } from '../src/audio/run-process';
import { transcodeToClips } from '../src/audio/transcode';
import { ebur128, ensureFixtures, fixture } from '../tests/support/fixtures';

const TARGET = -16;
const TRUE_PEAK = -1.5;
const MP3_KBPS = 96;
const RUNS = 3;
const TIMEOUT = 120_000;

/** CPU seconds of this process (all threads) plus its waited-for children, from /proc. */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17 (1-based); fields[] starts at field 3.
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / 100; // USER_HZ is 100 on Linux
}

const ffmpeg = (args: string[], capture = false) =>
  runProcess('ffmpeg', ['-nostdin', '-hide_banner', ...args], {
    timeoutMs: TIMEOUT,
    ...(capture ? {} : { stdout: 'ignore' as const }),
  });

async function floor(input: string): Promise<void> {
  await ffmpeg(['-v', 'error', '-i', input, '-f', 'null', '-']);
}

/** The common recipe: loudnorm measure, loudnorm apply (linear), then MP3 from the WAV. */
async function recipe(input: string, dir: string): Promise<string> {
  const norm = `loudnorm=I=${TARGET}:TP=${TRUE_PEAK}:LRA=11`;
  const pass1 = await ffmpeg(['-i', input, '-af', `${norm}:print_format=json`, '-f', 'null', '-']);
  const json = pass1.stderrTail.slice(pass1.stderrTail.lastIndexOf('{'));
  const m = JSON.parse(json.slice(0, json.indexOf('}') + 1)) as Record<string, string>;
  const measured =
    `measured_I=${m.input_i}:measured_TP=${m.input_tp}:measured_LRA=${m.input_lra}` +
    `:measured_thresh=${m.input_thresh}:offset=${m.target_offset}:linear=true`;
  const wav = path.join(dir, 'recipe.wav');
  await ffmpeg([
    '-v',
    'error',
    '-i',
    input,
    '-af',
    `${norm}:${measured}`,
    '-ar',
    '48000',
    '-ac',
    '1',
    '-c:a',
    'pcm_s24le',
    '-y',
    wav,
  ]);
  await ffmpeg([
    '-v',
    'error',
    '-i',
    wav,
    '-c:a',
    'libmp3lame',
    '-b:a',
    `${MP3_KBPS}k`,
    '-y',
    path.join(dir, 'recipe.mp3'),
  ]);
  return wav;
}

async function hallo(input: string, dir: string): Promise<string> {
  const result = await transcodeToClips(input, 'webm', dir, {
    ffmpegPath: 'ffmpeg',
    targetLufs: TARGET,
    truePeakDbtp: TRUE_PEAK,
    mp3BitrateKbps: MP3_KBPS,
    maxDurationSeconds: 301,
    timeoutMs: TIMEOUT,
  });
  return result.wavPath;
}

interface Timing {
  seconds: number;
  cpuSeconds: number;
  output?: string;
}

async function time(run: () => Promise<string | void>): Promise<Timing> {
  await run(); // warm-up: page cache, JIT
  const samples: Timing[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpu = cpuSeconds();
    const started = performance.now();
    const output = await run();
    samples.push({
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpuSeconds() - cpu,
      ...(output ? { output } : {}),
    });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(RUNS / 2)] as Timing;
}

async function main(): Promise<void> {
  ensureFixtures();
  const input = fixture('long-60s.webm');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-bench-'));
  try {
    const results = {
      floor: await time(() => floor(input)),
      recipe: await time(() => recipe(input, dir)),
      hallo: await time(() => hallo(input, dir)),
    };
    const fmt = (n: number, d = 3): string => n.toFixed(d);
    console.log(
      `\nbench/transcode: ${path.basename(input)} (60 s, Opus in WebM without duration), median of ${RUNS}, ${os.cpus().length} cores`,
    );
    console.log('variant   wall s   cpu s   output LUFS  error LU  true peak');
    const errors: Record<string, number> = {};
    for (const [name, t] of Object.entries(results)) {
      const m = t.output ? ebur128(t.output) : undefined;
      if (m) errors[name] = m.integratedLufs - TARGET;
      const loud = m
        ? `${fmt(m.integratedLufs, 1).padStart(11)}  ${fmt(m.integratedLufs - TARGET, 2).padStart(8)}  ${fmt(m.truePeakDbtp, 1).padStart(9)}`
        : '';
      console.log(
        `${name.padEnd(8)} ${fmt(t.seconds).padStart(7)} ${fmt(t.cpuSeconds, 2).padStart(7)}  ${loud}`,
      );
    }
    const speedup = results.recipe.seconds / results.hallo.seconds;
    const overFloor = results.hallo.seconds / results.floor.seconds;
    const accurate = Math.abs(errors.hallo ?? Infinity) <= 0.5;
    const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    console.log(`\nrecipe/hallo = ${fmt(speedup, 2)}x  (goal >= 3x: ${verdict(speedup >= 3)})`);
    console.log(`hallo/floor  = ${fmt(overFloor, 2)}x  (goal <= 4x: ${verdict(overFloor <= 4)})`);
    console.log(
      `hallo loudness error = ${fmt(errors.hallo ?? NaN, 2)} LU  (goal within ±0.5: ${verdict(accurate)})`,
    );
    console.log(
      `cpu: recipe/hallo = ${fmt(results.recipe.cpuSeconds / results.hallo.cpuSeconds, 2)}x, hallo/floor = ${fmt(results.hallo.cpuSeconds / results.floor.cpuSeconds, 2)}x`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
