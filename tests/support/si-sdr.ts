/**
 * Scale-invariant signal-to-distortion ratio (Le Roux et al., 2019) of an estimate against a
 * reference, after aligning the two by cross-correlation: the render trims and may delay.
 */

/** Cross-correlation of a and b at lag (b shifted right by lag), on every `step`th sample. */
function correlate(a: Float32Array, b: Float32Array, lag: number, step: number): number {
  let sum = 0;
  const from = Math.max(0, lag);
  const to = Math.min(a.length, b.length + lag);
  for (let i = from; i < to; i += step) sum += (a[i] as number) * (b[i - lag] as number);
  return sum;
}

/** The lag of `estimate` against `reference` (samples) near `guess`, within ±`range`. */
export function bestLag(
  reference: Float32Array,
  estimate: Float32Array,
  guess: number,
  range: number,
): number {
  let best = guess;
  let bestValue = -Infinity;
  // Coarse on every 4th sample and lag, then every lag around the best.
  for (let lag = guess - range; lag <= guess + range; lag += 4) {
    const v = correlate(estimate, reference, lag, 4);
    if (v > bestValue) [best, bestValue] = [lag, v];
  }
  const coarse = best;
  bestValue = -Infinity;
  for (let lag = coarse - 4; lag <= coarse + 4; lag++) {
    const v = correlate(estimate, reference, lag, 1);
    if (v > bestValue) [best, bestValue] = [lag, v];
  }
  return best;
}

/**
 * SI-SDR in dB of `estimate` against `reference`, where estimate[i + lag] lines up with
 * reference[i]; over the samples both have.
 */
export function siSdr(reference: Float32Array, estimate: Float32Array, lag: number): number {
  const from = Math.max(0, -lag);
  const to = Math.min(reference.length, estimate.length - lag);
  let rr = 0;
  let re = 0;
  for (let i = from; i < to; i++) {
    const r = reference[i] as number;
    rr += r * r;
    re += r * (estimate[i + lag] as number);
  }
  const alpha = re / rr;
  let target = 0;
  let error = 0;
  for (let i = from; i < to; i++) {
    const t = alpha * (reference[i] as number);
    const e = (estimate[i + lag] as number) - t;
    target += t * t;
    error += e * e;
  }
  return 10 * Math.log10(target / error);
}
