/**
 * True peak (BS.1770-4 annex 2: 4x oversampling) of mono float PCM, computed in Node.
 *
 * Oversampling every sample is what makes ebur128=peak=true expensive. An inter-sample peak sits
 * between two samples and is dominated by them, so only the intervals next to a sample within
 * CANDIDATE_DB of the sample peak are interpolated (band-limited audio does not overshoot its
 * neighbours by that much; the worst classic case, a sine at fs/4, overshoots by 3 dB). On
 * speech that is a few percent of the samples. The integration tests check the result against ebur128=peak=true on every fixture.
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

/** Interpolated |value| maximum inside the interval (n, n + 1); samples from `length` on do not exist. */
function intervalPeak(x: Float32Array, n: number, length: number): number {
  let best = 0;
  for (const taps of TAPS) {
    let acc = 0;
    for (let k = 0; k < taps.length; k++) {
      const j = n + k - HALF_TAPS + 1;
      if (j >= 0 && j < length) acc += (taps[k] as number) * (x[j] as number);
    }
    const a = Math.abs(acc);
    if (a > best) best = a;
  }
  return best;
}

/**
 * Streaming true peak: call scan() whenever more samples are in the buffer, with final=true at
 * the end. The candidate threshold follows the running sample peak, so an early interval may be
 * interpolated needlessly but none that matters is skipped.
 */
export class TruePeakScanner {
  private samplePeak = 0;
  private peak = 0;
  private seen = 0;
  private next = 0;

  scan(x: Float32Array, available: number, final = false): void {
    for (let i = this.seen; i < available; i++) {
      const a = Math.abs(x[i] as number);
      if (a > this.samplePeak) this.samplePeak = a;
    }
    this.seen = available;
    // An interval needs HALF_TAPS samples after it, unless nothing more will come.
    const end = final ? available - 1 : available - HALF_TAPS;
    const threshold = this.samplePeak * 10 ** (-CANDIDATE_DB / 20);
    for (let n = this.next; n < end; n++) {
      if (Math.abs(x[n] as number) >= threshold || Math.abs(x[n + 1] as number) >= threshold) {
        const p = intervalPeak(x, n, available);
        if (p > this.peak) this.peak = p;
      }
    }
    this.next = Math.max(this.next, end);
  }

  /** Linear true peak; 0 for silence. */
  get value(): number {
    return Math.max(this.samplePeak, this.peak);
  }
}

/** Linear true peak of a whole signal. */
export function truePeak(samples: Float32Array): number {
  const scanner = new TruePeakScanner();
  scanner.scan(samples, samples.length, true);
  return scanner.value;
}

export const toDb = (linear: number, floorDb = -144): number =>
  linear > 0 ? Math.max(floorDb, 20 * Math.log10(linear)) : floorDb;
