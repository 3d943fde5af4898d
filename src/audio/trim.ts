import { BIN_SAMPLES } from './loudness';

/**
 * Finds where speech starts and ends, from the K-weighted energy per 1 ms bin.
 *
 * The threshold is relative to the recording's own integrated loudness, not an absolute dBFS
 * value, so a quiet phone recording and a hot studio one are trimmed alike, and room noise
 * well below the speech never counts as speech. Levels are averaged over 50 ms so a click
 * does not count either.
 */

export interface TrimOptions {
  /** Speech is what is louder than integrated loudness minus this (LU). */
  thresholdBelowLu: number;
  /** Silence kept before and after the speech, in seconds. */
  padSeconds: number;
  /** Averaging window, in seconds. */
  windowSeconds: number;
}

export const DEFAULT_TRIM: Readonly<TrimOptions> = {
  thresholdBelowLu: 20,
  padSeconds: 0.2,
  windowSeconds: 0.05,
};

export interface SampleRange {
  startSample: number;
  endSample: number;
}

/** The range to keep, in samples; everything when there is no speech to anchor on. */
export function speechRange(
  energy: Float64Array,
  totalSamples: number,
  integratedLufs: number,
  { thresholdBelowLu, padSeconds, windowSeconds }: TrimOptions = DEFAULT_TRIM,
  sampleRate = 48000,
): SampleRange {
  const all = { startSample: 0, endSample: totalSamples };
  const binsPerSecond = sampleRate / BIN_SAMPLES;
  const window = Math.max(1, Math.round(windowSeconds * binsPerSecond));
  if (!Number.isFinite(integratedLufs) || energy.length < window) return all;

  // Mean square over the window that must be reached, from the loudness threshold in LUFS.
  const threshold = 10 ** ((integratedLufs - thresholdBelowLu + 0.691) / 10) * window * BIN_SAMPLES;
  let sum = 0;
  let first = -1;
  let last = -1;
  for (let b = 0; b < energy.length; b++) {
    sum += energy[b] as number;
    if (b >= window) sum -= energy[b - window] as number;
    if (b >= window - 1 && sum >= threshold) {
      if (first < 0) first = b - window + 1;
      last = b + 1;
    }
  }
  if (first < 0) return all;
  const pad = Math.round(padSeconds * sampleRate);
  return {
    startSample: Math.max(0, first * BIN_SAMPLES - pad),
    endSample: Math.min(totalSamples, last * BIN_SAMPLES + pad),
  };
}
