/**
 * True peak (BS.1770-4 annex 2: 4x oversampling) of mono float PCM, computed in Node.
 *
 * Oversampling every sample is what makes ebur128=peak=true expensive. An inter-sample peak sits
 * between two samples and is dominated by them, so only the intervals next to a sample within
 * CANDIDATE_DB of the sample peak are interpolated (band-limited audio does not overshoot its
 * neighbours by that much; the worst classic case, a sine at fs/4, overshoots by 3 dB). The
 * per-millisecond bin peaks the loudness meter already has point at those samples, so a minute
 * of limited speech costs a few milliseconds. The integration tests compare the result with
 * ebur128=peak=true on every fixture.
 */

const PHASES = 4;
/** Taps on each side of the interpolated point. */
const HALF_TAPS = 8;
const CUTOFF = 0.95;
const CANDIDATE_DB = 4;

/** Kaiser window (beta 8) as a function of t in [-1, 1]. */
function kaiser(t: number, beta = 8): number {
  const i0 = (x: number): number => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 30; k++) {
      term *= (x / (2 * k)) ** 2;
      sum += term;
    }
    return sum;
  };
  return i0(beta * Math.sqrt(Math.max(0, 1 - t * t))) / i0(beta);
}

/** taps[p - 1][k] weights sample n + k - HALF_TAPS + 1 to interpolate at n + p/4, p = 1..3. */
const TAPS: Float64Array[] = Array.from({ length: PHASES - 1 }, (_, i) => {
  const frac = (i + 1) / PHASES;
  const taps = new Float64Array(2 * HALF_TAPS);
  let sum = 0;
  for (let k = 0; k < taps.length; k++) {
    const t = k - HALF_TAPS + 1 - frac;
    const sinc = t === 0 ? 1 : Math.sin(Math.PI * CUTOFF * t) / (Math.PI * CUTOFF * t);
    taps[k] = sinc * kaiser(t / HALF_TAPS);
    sum += taps[k] as number;
  }
  return taps.map((v) => v / sum); // unity gain at DC
});

/** Interpolated |value| maximum inside the interval (n, n + 1). */
function intervalPeak(x: Float32Array, n: number): number {
  const first = n - HALF_TAPS + 1;
  let best = 0;
  for (const taps of TAPS) {
    let acc = 0;
    for (let k = 0; k < taps.length; k++) {
      const j = first + k;
      if (j >= 0 && j < x.length) acc += (taps[k] as number) * (x[j] as number);
    }
    const a = acc < 0 ? -acc : acc;
    if (a > best) best = a;
  }
  return best;
}

/** Reads `count` samples from `start` (within the signal) as an array of their own. */
export type SampleReader = (start: number, count: number) => Float32Array;

/**
 * Linear true peak; 0 for silence. `binPeaks` (max |sample| per `binSize` samples, as
 * BinAccumulator makes them) lets it skip the quiet bins without reading their samples.
 */
export function truePeak(samples: Float32Array, binPeaks?: Float32Array, binSize = 48): number {
  const bins = binPeaks ?? binMaxima(samples, binSize);
  return truePeakOfReader(
    (start, count) => samples.subarray(start, start + count),
    samples.length,
    bins,
    binSize,
  );
}

/**
 * The same, for samples that are not in one array (still in the chunks they arrived in): only
 * the loud bins, with the filter's reach either side, are read.
 */
export function truePeakOfReader(
  read: SampleReader,
  length: number,
  bins: Float32Array,
  binSize = 48,
): number {
  let samplePeak = 0;
  for (const p of bins) if (p > samplePeak) samplePeak = p;
  if (samplePeak === 0) return 0;
  const threshold = samplePeak * 10 ** (-CANDIDATE_DB / 20);
  let peak = samplePeak;
  let next = 0; // first interval not yet looked at
  for (let b = 0; b < bins.length; b++) {
    if ((bins[b] as number) < threshold) continue;
    // Every interval touching one of this bin's samples, and the taps around them.
    const end = Math.min(length - 2, (b + 1) * binSize - 1);
    const from = Math.max(next, b * binSize - 1);
    if (from > end) continue;
    const start = Math.max(0, from - HALF_TAPS + 1);
    const x = read(start, Math.min(length, end + HALF_TAPS + 2) - start);
    for (let n = from; n <= end; n++) {
      const a = Math.abs(x[n - start] as number);
      const c = Math.abs(x[n + 1 - start] as number);
      if (a >= threshold || c >= threshold) peak = Math.max(peak, intervalPeak(x, n - start));
    }
    next = end + 1;
  }
  return peak;
}

function binMaxima(samples: Float32Array, binSize: number): Float32Array {
  const out = new Float32Array(Math.ceil(samples.length / binSize));
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i] as number);
    const b = Math.floor(i / binSize);
    if (a > (out[b] as number)) out[b] = a;
  }
  return out;
}

export const toDb = (linear: number, floorDb = -144): number =>
  linear > 0 ? Math.max(floorDb, 20 * Math.log10(linear)) : floorDb;
