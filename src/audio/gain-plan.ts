import { integratedLoudness, SAMPLE_RATE, BIN_SAMPLES } from './loudness';

/**
 * Chooses the render gain. A plain `target - measured` gain comes out short whenever the
 * limiter has to work: speech peaks sit 15-22 dB above its loudness, so at -16 LUFS with a
 * -1.5 dBTP ceiling the limiter takes about 1 LU away (measured on the fixtures). Rendering
 * twice to correct that would double the cost, so the limiter is modelled on the 1 ms bins and
 * the gain solved against the model; the render's real output is still measured afterwards.
 */

/** alimiter settings used by the render (ms). The model mirrors them. */
export const LIMITER_ATTACK_MS = 5;
export const LIMITER_RELEASE_MS = 50;
const BIN_MS = (BIN_SAMPLES / SAMPLE_RATE) * 1000;

/**
 * Per-bin gain of a lookahead limiter at `limit` applied after `gainDb`, like alimiter: a linear
 * ramp down over the attack time that reaches limit/peak at the peak, and a linear recovery
 * over the release time.
 */
export function modelLimiter(peak: Float32Array, gainDb: number, limit: number): Float32Array {
  const gain = 10 ** (gainDb / 20);
  const attack = Math.max(1, Math.round(LIMITER_ATTACK_MS / BIN_MS));
  const release = Math.max(1, Math.round(LIMITER_RELEASE_MS / BIN_MS));
  const g = new Float32Array(peak.length).fill(1);
  for (let b = 0; b < peak.length; b++) {
    const level = (peak[b] as number) * gain;
    if (level <= limit) continue;
    const r = limit / level;
    for (let k = 0; k <= attack && b - k >= 0; k++) {
      const v = r + ((1 - r) * k) / attack;
      if (v < (g[b - k] as number)) g[b - k] = v;
    }
    for (let k = 1; k <= release && b + k < peak.length; k++) {
      const v = r + ((1 - r) * k) / release;
      if (v < (g[b + k] as number)) g[b + k] = v;
    }
  }
  for (let b = 0; b < g.length; b++) g[b] = (g[b] as number) * gain;
  return g;
}

/** Loudness the model predicts for `gainDb` followed by the limiter. */
export function predictedLoudness(
  bins: { peak: Float32Array; energy: Float64Array },
  gainDb: number,
  limit: number,
): number {
  return integratedLoudness(bins.energy, modelLimiter(bins.peak, gainDb, limit));
}

export interface GainSolveOptions {
  targetLufs: number;
  limit: number;
  /** Gain never leaves this range (silence must not be amplified by 100 dB). */
  minGainDb: number;
  maxGainDb: number;
}

/**
 * The most gain added beyond `target - measured` to make up for the limiter. Past that the
 * limiter turns speech into distortion: a target that needs more (say -8 LUFS at -1 dBTP)
 * cannot be reached without a compressor, and the clip is left quieter than asked instead.
 */
export const MAX_LIMITER_PUSH_DB = 6;

/**
 * Secant iteration on the model (the limiter makes loudness grow ever slower with gain, so
 * plain "add what is missing" steps converge slowly). 2-4 steps; each costs a few ms a minute.
 */
export function solveGain(
  bins: { peak: Float32Array; energy: Float64Array },
  inputLufs: number,
  { targetLufs, limit, minGainDb, maxGainDb }: GainSolveOptions,
): number {
  if (!Number.isFinite(inputLufs)) return 0;
  const naive = targetLufs - inputLufs;
  const upper = Math.min(maxGainDb, naive + MAX_LIMITER_PUSH_DB);
  const clamp = (g: number): number => Math.min(upper, Math.max(minGainDb, g));
  const error = (g: number): number => predictedLoudness(bins, g, limit) - targetLufs;
  let g0 = clamp(naive);
  let e0 = error(g0);
  if (!Number.isFinite(e0) || Math.abs(e0) < 0.02) return g0;
  let g1 = clamp(g0 - e0);
  for (let i = 0; i < 6 && g1 !== g0; i++) {
    const e1 = error(g1);
    if (!Number.isFinite(e1) || Math.abs(e1) < 0.02 || e1 === e0) break;
    const next = clamp(g1 - (e1 * (g1 - g0)) / (e1 - e0));
    [g0, e0, g1] = [g1, e1, next];
  }
  return g1;
}
