import { BIN_SAMPLES, SAMPLE_RATE } from './loudness';

/**
 * Where in a message someone speaks, from the 48 kHz mono samples and their K-weighted 1 ms bins.
 *
 * A frame (20 ms) is voiced when it is periodic at a voice's pitch (80–400 Hz: the normalised
 * autocorrelation of the signal, taken down to 8 kHz, peaks above VOICED_CORRELATION) and louder
 * than the noise floor. Breath, hiss, hum-free room noise and clicks are not periodic in that
 * range, so a loud breath is not a voice and a whispered-quiet sentence is. Speech is the voiced
 * frames with a hangover on either side for the consonants around them (an "s", a "t").
 *
 * The noise floor is measured in the pauses: first as a low percentile of all frame levels (to
 * tell noise from candidates), then again as the median of the frames that are not speech.
 */

export const FRAME_MS = 20;
export const FRAME_BINS = FRAME_MS / ((BIN_SAMPLES / SAMPLE_RATE) * 1000);
const FRAME_SAMPLES = FRAME_BINS * BIN_SAMPLES;
const DECIMATE = 6; // 48 kHz to 8 kHz
const MIN_LAG = 20; // 400 Hz at 8 kHz
const MAX_LAG = 100; // 80 Hz
const WINDOW = FRAME_SAMPLES / DECIMATE; // 160 samples: one frame
export const VOICED_CORRELATION = 0.6;
/** A voiced frame must be this far above the first noise-floor estimate. */
const ABOVE_FLOOR_DB = 6;
/** Speech around voiced frames: consonants before, decay and consonants after. */
export const HANGOVER_BEFORE_MS = 120;
export const HANGOVER_AFTER_MS = 200;
/** Level of a frame with no energy at all. */
export const SILENT_DB = -120;

export interface VoiceActivity {
  /** Per 20 ms frame: part of speech (voiced, or within the hangover of voiced frames). */
  speech: Uint8Array;
  /** Per frame: periodic at a voice's pitch and above the floor. */
  voiced: Uint8Array;
  /** Per frame: mean square of the K-weighted signal, in dB (≈ LUFS + 0.691). */
  levelDb: Float32Array;
  /** Median level of the frames that are not speech (dB); the first estimate when all is speech. */
  noiseFloorDb: number;
  voicedFrames: number;
}

export const dbOf = (meanSquare: number) =>
  meanSquare > 0 ? 10 * Math.log10(meanSquare) : SILENT_DB;

function percentile(values: Float32Array, p: number): number {
  if (values.length === 0) return SILENT_DB;
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** Frame levels from the 1 ms K-weighted bins. */
export function frameLevels(energy: Float64Array): Float32Array {
  const frames = Math.floor(energy.length / FRAME_BINS);
  const levels = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let b = f * FRAME_BINS; b < (f + 1) * FRAME_BINS; b++) sum += energy[b] as number;
    levels[f] = dbOf(sum / FRAME_SAMPLES);
  }
  return levels;
}

/**
 * The samples at 8 kHz (mean of six: a box low-pass is enough for pitch up to 400 Hz), then
 * pre-emphasised (x[n] − 0.95·x[n−1]): noise with most of its energy low (pink, brown, rumble)
 * correlates with itself over a few milliseconds and would pass for periodic; flattened, it does
 * not, while a voice's harmonics stay periodic.
 */
function decimate(samples: Float32Array): Float32Array {
  const out = new Float32Array(Math.floor(samples.length / DECIMATE));
  let previous = 0;
  for (let i = 0, j = 0; i < out.length; i++, j += DECIMATE) {
    const mean =
      ((samples[j] as number) +
        (samples[j + 1] as number) +
        (samples[j + 2] as number) +
        (samples[j + 3] as number) +
        (samples[j + 4] as number) +
        (samples[j + 5] as number)) /
      DECIMATE;
    out[i] = mean - 0.95 * previous;
    previous = mean;
  }
  return out;
}

/** Normalised autocorrelation of one frame at one lag. */
function correlation(x: Float32Array, start: number, lag: number, squares: Float64Array): number {
  const end = start + WINDOW;
  let sum = 0;
  for (let n = start; n < end; n++) sum += (x[n] as number) * (x[n + lag] as number);
  if (sum <= 0) return 0;
  const e0 = (squares[end] as number) - (squares[start] as number);
  const e1 = (squares[end + lag] as number) - (squares[start + lag] as number);
  return e0 > 0 && e1 > 0 ? sum / Math.sqrt(e0 * e1) : 0;
}

/**
 * Whether one frame is periodic at a voice's pitch: every other lag first, then the neighbours of
 * the best one (a correlation peak is wider than two lags at 8 kHz), stopping at the first lag
 * that is periodic enough. About a third of the work of trying every lag.
 */
function isPeriodic(x: Float32Array, start: number, squares: Float64Array): boolean {
  if (start + WINDOW + MAX_LAG > x.length) return false;
  let best = 0;
  let bestLag = MIN_LAG;
  for (let lag = MIN_LAG; lag <= MAX_LAG; lag += 2) {
    const r = correlation(x, start, lag, squares);
    if (r >= VOICED_CORRELATION) return true;
    if (r > best) [best, bestLag] = [r, lag];
  }
  return (
    correlation(x, start, bestLag - 1, squares) >= VOICED_CORRELATION ||
    (bestLag < MAX_LAG && correlation(x, start, bestLag + 1, squares) >= VOICED_CORRELATION)
  );
}

export function detectVoice(samples: Float32Array, energy: Float64Array): VoiceActivity {
  const levelDb = frameLevels(energy);
  const frames = levelDb.length;
  const audible = levelDb.filter((l) => l > SILENT_DB);
  const firstFloor = percentile(audible, 0.05);
  // A recording with no pauses at all (a steady voice, a held tone) has no floor below it to
  // find: then the bar is 6 dB under its typical level instead, and periodicity decides.
  const bar = Math.min(firstFloor + ABOVE_FLOOR_DB, percentile(audible, 0.5) - ABOVE_FLOOR_DB);

  const low = decimate(samples);
  const squares = new Float64Array(low.length + 1);
  for (let i = 0; i < low.length; i++)
    squares[i + 1] = (squares[i] as number) + (low[i] as number) * (low[i] as number);

  const voiced = new Uint8Array(frames);
  let voicedFrames = 0;
  for (let f = 0; f < frames; f++) {
    if ((levelDb[f] as number) < bar) continue;
    if (isPeriodic(low, f * WINDOW, squares)) {
      voiced[f] = 1;
      voicedFrames++;
    }
  }
  // A single periodic frame is a click or a tone burst's edge more often than a syllable.
  for (let f = 0; f < frames; f++)
    if (voiced[f] && !voiced[f - 1] && !voiced[f + 1]) {
      voiced[f] = 0;
      voicedFrames--;
    }

  const speech = new Uint8Array(frames);
  const before = Math.round(HANGOVER_BEFORE_MS / FRAME_MS);
  const after = Math.round(HANGOVER_AFTER_MS / FRAME_MS);
  for (let f = 0; f < frames; f++) {
    if (!voiced[f]) continue;
    for (let k = Math.max(0, f - before); k <= Math.min(frames - 1, f + after); k++) speech[k] = 1;
  }
  const pauses = levelDb.filter((l, f) => !speech[f] && l > SILENT_DB);
  const noiseFloorDb = pauses.length > 0 ? percentile(pauses, 0.5) : firstFloor;
  return { speech, voiced, levelDb, noiseFloorDb, voicedFrames };
}
