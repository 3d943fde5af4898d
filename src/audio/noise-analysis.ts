import { BIN_SAMPLES, SAMPLE_RATE } from './loudness';
import { findHum, type Hum } from './hum';
import type { SampleRange } from './trim';
import { dbOf, FRAME_BINS, frameLevels, SILENT_DB, type VoiceActivity } from './voice-activity';

/**
 * What a message's pauses say about the noise under its voice: level, how steady it is, where
 * the longest stretch of it is (for the denoiser to learn its spectrum from), and mains hum.
 * Pauses are the frames the voice-activity decision (voice-activity.ts: periodicity at a voice's
 * pitch, with hangover) left out of speech; digital silence is no noise and is ignored.
 */

const FRAME_SAMPLES = FRAME_BINS * BIN_SAMPLES;
/** Shortest pause the denoiser may learn from, and the most of it that it needs. */
export const MIN_PROFILE_SECONDS = 0.2;
export const MAX_PROFILE_SECONDS = 1.5;

export interface NoiseAnalysis {
  /** Median K-weighted level of the pause frames (dB, ≈ LUFS + 0.691); undefined without pauses. */
  noiseDb?: number;
  /** Energy mean of the voiced frames' levels (dB). */
  speechDb?: number;
  snrDb?: number;
  /** Spread of the pause levels, 90th minus 10th percentile: babble and traffic move, a fan does not. */
  fluctuationDb?: number;
  /** Unweighted RMS of the pauses in dBFS: what the denoiser calls its noise floor. */
  noiseRmsDbfs?: number;
  /** The longest pause, up to MAX_PROFILE_SECONDS, if long enough to learn the noise from. */
  profile?: SampleRange;
  hum?: Hum;
}

/** Hum further below the voice than this (dB) is not heard, even in pauses after levelling. */
export const AUDIBLE_HUM_DB = 60;
/** Pause frames this far above the quietest tenth are not noise. */
const QUIET_ABOVE_FLOOR_DB = 6;

const frameRange = (r: SampleRange): number[] =>
  Array.from(
    { length: (r.endSample - r.startSample) / FRAME_SAMPLES },
    (_, k) => r.startSample / FRAME_SAMPLES + k,
  );

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** Runs of consecutive quiet pause frames with sound in them, in samples. */
function pauseRuns(
  activity: VoiceActivity,
  levels: Float32Array,
  quiet: (frame: number) => boolean,
): SampleRange[] {
  const runs: SampleRange[] = [];
  let from = -1;
  for (let f = 0; f <= levels.length; f++) {
    const pause =
      f < levels.length && !activity.speech[f] && (levels[f] as number) > SILENT_DB && quiet(f);
    if (pause && from < 0) from = f;
    if (!pause && from >= 0) {
      runs.push({ startSample: from * FRAME_SAMPLES, endSample: f * FRAME_SAMPLES });
      from = -1;
    }
  }
  return runs;
}

/**
 * `samples` and `energy` are the signal the render will denoise (after levelling); `activity`
 * is the voice decision on the same message.
 */
export function analyseNoise(
  samples: Float32Array,
  energy: Float64Array,
  activity: VoiceActivity,
): NoiseAnalysis {
  const levels = frameLevels(energy);
  const pauseLevels: number[] = [];
  let voicedEnergy = 0;
  let voiced = 0;
  for (let f = 0; f < levels.length; f++) {
    const level = levels[f] as number;
    if (activity.voiced[f]) {
      voicedEnergy += 10 ** (level / 10);
      voiced++;
    } else if (!activity.speech[f] && level > SILENT_DB) pauseLevels.push(level);
  }
  const speechDb = voiced > 0 ? dbOf(voicedEnergy / voiced) : undefined;
  if (pauseLevels.length === 0) return speechDb === undefined ? {} : { speechDb };

  pauseLevels.sort((a, b) => a - b);
  // The noise is read where the pauses are quiet: what stands well above their floor is an
  // unvoiced consonant, a breath or a click the voice decision left out.
  const floorDb = percentile(pauseLevels, 0.1);
  const quiet = (f: number) => (levels[f] as number) <= floorDb + QUIET_ABOVE_FLOOR_DB;
  const runs = pauseRuns(activity, levels, quiet);
  if (runs.length === 0) return speechDb === undefined ? {} : { speechDb };
  const runLevels = runs.flatMap((r) => frameRange(r).map((f) => levels[f] as number));
  runLevels.sort((a, b) => a - b);
  const noiseDb = percentile(runLevels, 0.5);
  let squares = 0;
  let count = 0;
  for (const run of runs)
    for (let i = run.startSample; i < Math.min(run.endSample, samples.length); i++) {
      squares += (samples[i] as number) ** 2;
      count++;
    }
  const longest = runs.reduce((best, r) =>
    r.endSample - r.startSample > best.endSample - best.startSample ? r : best,
  );
  const profile =
    longest.endSample - longest.startSample >= MIN_PROFILE_SECONDS * SAMPLE_RATE
      ? {
          startSample: longest.startSample,
          endSample: Math.min(
            longest.endSample,
            longest.startSample + MAX_PROFILE_SECONDS * SAMPLE_RATE,
          ),
        }
      : undefined;
  // Steadiness is judged where the denoiser learns: a fan holds its level there, voices do not.
  const profileLevels = frameRange(profile ?? longest).map((f) => levels[f] as number);
  profileLevels.sort((a, b) => a - b);
  // A comb under the hearing threshold (a codec's 20 ms frames leave one at 50 Hz) is no hum.
  const found = findHum(samples, runs, SAMPLE_RATE);
  const hum =
    found &&
    (speechDb === undefined || 10 * Math.log10(found.meanSquare) > speechDb - AUDIBLE_HUM_DB)
      ? found
      : undefined;
  // The broadband noise is what is left of the pauses without the hum's harmonics.
  const noiseMs = squares / Math.max(1, count);
  const humMs = hum?.meanSquare ?? 0;
  const broadbandMs = Math.max(noiseMs - humMs, noiseMs * 1e-4);
  const broadbandDb = noiseDb + 10 * Math.log10(broadbandMs / noiseMs);
  return {
    noiseDb: broadbandDb,
    ...(speechDb !== undefined && { speechDb, snrDb: speechDb - broadbandDb }),
    fluctuationDb: percentile(profileLevels, 0.9) - percentile(profileLevels, 0.1),
    noiseRmsDbfs: dbOf(broadbandMs),
    ...(profile && { profile }),
    ...(hum && { hum }),
  };
}
