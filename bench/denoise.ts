/**
 * bench/denoise: speech (German and English espeak-ng voices) under six generated noises at 0, 5,
 * 10 and 20 dB SNR, plus clean speech, each rendered twice in the same run: with the noise stage
 * (hallo) and without it (`original`: the render as it was before the stage). For each:
 *   SI-SDR of the upload, of the render without and with the stage, each against the clean
 *   message's own render (aligned by cross-correlation); the hum harmonics' level against the
 *   speech before and after; render time with the stage against without.
 * Goals: +5 dB SI-SDR over the upload on average over 0–10 dB SNR, hum 20 dB lower, clean speech
 * within 0.3 dB of the render without the stage, render time ≤ 1.5×. Printed, not asserted.
 * Run: npm run bench:denoise  (BENCH_NOISES=hum,pink for a subset; DENOISE_MODEL=/path/file.rnnn to measure arnndn instead of afftdn)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NoiseChoice } from '../src/audio/denoise-plan';
import { tonePower } from '../src/audio/hum';
import { transcodeToClips, type TranscodeResult } from '../src/audio/transcode';
import {
  cleanMessage,
  mix,
  NOISES,
  RATE,
  readPcm,
  writeWav,
  type Noise,
} from '../tests/support/noisy-speech';
import { bestLag, siSdr } from '../tests/support/si-sdr';

const SNRS = [0, 5, 10, 20];
const HUM_HZ = [50, 100, 150, 200, 250, 350];
const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-bench-denoise-'));
const model = process.env.DENOISE_MODEL;
/** A subset, e.g. BENCH_NOISES=hum,pink. */
const kinds = (process.env.BENCH_NOISES?.split(',') ?? NOISES) as readonly Noise[];

async function render(upload: string, name: string, noise: NoiseChoice) {
  const out = path.join(dir, name);
  rmSync(out, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(out));
  const started = performance.now();
  const result = await transcodeToClips(upload, 'wav', out, {
    ffmpegPath: 'ffmpeg',
    targetLufs: -16,
    truePeakDbtp: -1.5,
    mp3BitrateKbps: 96,
    maxDurationSeconds: 300,
    timeoutMs: 120_000,
    noise,
    ...(model && { denoiseModel: model }),
  });
  return { result, seconds: (performance.now() - started) / 1000, pcm: readPcm(result.wavPath) };
}

const rmsSquare = (x: Float32Array, from = 0, to = x.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] as number) ** 2;
  return s / Math.max(1, to - from);
};

/** Hum harmonics' power over a stretch of pause, against the signal's mean square (dB). */
function humDb(x: Float32Array, from: number, to: number): number {
  const hum = HUM_HZ.reduce((sum, hz) => sum + tonePower(x, from, to, hz, RATE), 0);
  return 10 * Math.log10(hum / rmsSquare(x));
}

const fixed = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');

async function main(): Promise<void> {
  const rows: string[] = [];
  const gains: number[] = [];
  const overRender: number[] = [];
  const times = { hallo: 0, original: 0 };
  const cleanDiffs: number[] = [];
  const humDrops: number[] = [];
  for (const language of ['de', 'en'] as const) {
    const clean = cleanMessage(language);
    const cleanFile = path.join(dir, `clean-${language}.wav`);
    writeWav(clean, cleanFile);
    const reference = await render(cleanFile, 'reference', 'original');
    const refTrim = Math.round(reference.result.trimmedStartSeconds * RATE);
    const score = (pcm: Float32Array, trim: number) =>
      siSdr(reference.pcm, pcm, bestLag(reference.pcm, pcm, refTrim - trim, 2400));
    // Clean speech: each render against the clean upload itself.
    const cleanHallo = await render(cleanFile, 'clean-hallo', 'auto');
    const againstSource = (pcm: Float32Array, trim: number) =>
      siSdr(clean, pcm, bestLag(clean, pcm, -trim, 2400));
    const cleanBefore = againstSource(reference.pcm, refTrim);
    const cleanAfter = againstSource(
      cleanHallo.pcm,
      Math.round(cleanHallo.result.trimmedStartSeconds * RATE),
    );
    cleanDiffs.push(cleanAfter - cleanBefore);
    rows.push(
      `${language} | clean | — | — | ${fixed(cleanBefore)} | ${fixed(cleanAfter)} | ${describe(cleanHallo.result)} | |`,
    );
    for (const kind of kinds)
      for (const snr of SNRS) {
        const upload = path.join(dir, `${language}-${kind}-${snr}.wav`);
        const noisy = mix(clean, kind, snr);
        writeWav(noisy, upload);
        const original = await render(upload, 'original', 'original');
        const hallo = await render(upload, 'hallo', 'auto');
        times.original += original.seconds;
        times.hallo += hallo.seconds;
        const trimOf = (r: TranscodeResult) => Math.round(r.trimmedStartSeconds * RATE);
        const input = siSdr(reference.pcm, noisy, bestLag(reference.pcm, noisy, refTrim, 2400));
        const before = score(original.pcm, trimOf(original.result));
        const after = score(hallo.pcm, trimOf(hallo.result));
        if (snr <= 10) {
          gains.push(after - input);
          overRender.push(after - before);
        }
        let hum = '';
        if (kind === 'hum') {
          // The pause before the first word: 0.8 s in the upload, the kept 0.2 s in the clip.
          const inDb = humDb(noisy, 0, Math.round(0.7 * RATE));
          const outDb = humDb(hallo.pcm, 0, Math.round(0.15 * RATE));
          humDrops.push(inDb - outDb);
          hum = `${fixed(inDb)} → ${fixed(outDb)}`;
        }
        rows.push(
          `${language} | ${kind} | ${snr} | ${fixed(input)} | ${fixed(before)} | ${fixed(after)} | ${describe(hallo.result)} | ${hum}`,
        );
      }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  console.log(
    [
      'language | noise | SNR dB | SI-SDR upload | SI-SDR without stage | SI-SDR hallo | what was done | hum dB (vs speech)',
      ...rows,
    ].join('\n'),
  );
  console.log(
    `\nSI-SDR gain over the upload, mean over 0–10 dB SNR: ${fixed(mean(gains))} dB (goal ≥ 5)`,
  );
  console.log(
    `SI-SDR gain over the render without the stage, same span: ${fixed(mean(overRender))} dB`,
  );
  console.log(`hum lowered by: ${humDrops.map((d) => fixed(d)).join(', ')} dB (goal ≥ 20)`);
  console.log(
    `clean speech, with stage minus without: ${cleanDiffs.map((d) => fixed(d, 2)).join(', ')} dB (goal within ±0.3)`,
  );
  console.log(
    `render time with / without the stage: ${fixed(times.hallo, 2)} s / ${fixed(times.original, 2)} s = ${fixed(times.hallo / times.original, 2)}× (goal ≤ 1.5×)`,
  );
  rmSync(dir, { recursive: true, force: true });
}

function describe(r: TranscodeResult): string {
  const n = r.noise;
  const parts = [];
  if (n.reducedDb) parts.push(`−${n.reducedDb} dB`);
  if (n.model) parts.push(n.model);
  if (n.humHz) parts.push(`hum ${n.humHz} Hz ×${n.notchesHz?.length ?? 0}`);
  if (n.untouched) parts.push(n.untouched);
  return `${parts.join(', ')} (SNR ${fixed(n.snrDb ?? NaN)})`;
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
