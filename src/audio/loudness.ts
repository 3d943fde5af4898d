/**
 * ITU-R BS.1770-4 / EBU R128 loudness of mono 48 kHz float PCM, computed in Node.
 *
 * Why not ffmpeg's ebur128 filter: the transcode needs the K-weighted energy per millisecond
 * anyway (to predict what the limiter will take away, and to find silence), and with it the
 * gated loudness costs almost nothing, while ebur128 adds a pass over the audio and an
 * info-level log to parse (where upload metadata is printed too). The integration tests check
 * these numbers against ebur128 on every fixture.
 */

export const SAMPLE_RATE = 48000;
/** One bin is 1 ms: 400 ms gating blocks and their 100 ms hop are whole numbers of bins. */
export const BIN_SAMPLES = 48;
const BLOCK_BINS = 400;
const HOP_BINS = 100;
const SHORT_TERM_BINS = 3000;
const ABSOLUTE_GATE_LUFS = -70;

export interface Bins {
  /** Max |sample| per bin (unweighted). */
  peak: Float32Array;
  /** Sum of squared K-weighted samples per bin. */
  energy: Float64Array;
}

/** K-weighting for 48 kHz: the "head" high shelf, then the RLB high-pass (BS.1770-4 table 1, 2). */
const SHELF = {
  b0: 1.53512485958697,
  b1: -2.69169618940638,
  b2: 1.19839281085285,
  a1: -1.69065929318241,
  a2: 0.73248077421585,
};
const RLB = { b0: 1.0, b1: -2.0, b2: 1.0, a1: -1.99004745483398, a2: 0.99007225036621 };

/**
 * Streaming K-weighting and binning: push samples as they arrive (any chunking), read the bins
 * at the end. A partial last bin is kept.
 */
export class BinAccumulator {
  private peak = new Float32Array(1024);
  private energy = new Float64Array(1024);
  private count = 0;
  private inBin = 0;
  private binPeak = 0;
  private binEnergy = 0;
  // Direct form I states of both biquads.
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;
  private z1 = 0;
  private z2 = 0;

  push(samples: Float32Array, from = 0, to = samples.length): void {
    let { x1, x2, y1, y2, z1, z2, inBin, binPeak: p, binEnergy: e } = this;
    // Locals: the hot loop must not load object properties.
    const [sb0, sb1, sb2, sa1, sa2] = [SHELF.b0, SHELF.b1, SHELF.b2, SHELF.a1, SHELF.a2];
    const [ra1, ra2] = [RLB.a1, RLB.a2];
    for (let i = from; i < to; i++) {
      const x = samples[i] as number;
      const a = x < 0 ? -x : x;
      if (a > p) p = a;
      const y = sb0 * x + sb1 * x1 + sb2 * x2 - sa1 * y1 - sa2 * y2;
      const z = y - 2 * y1 + y2 - ra1 * z1 - ra2 * z2; // RLB: b = (1, -2, 1)
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      z2 = z1;
      z1 = z;
      e += z * z;
      if (++inBin === BIN_SAMPLES) {
        this.store(p, e);
        inBin = 0;
        p = 0;
        e = 0;
      }
    }
    Object.assign(this, { x1, x2, y1, y2, z1, z2, inBin, binPeak: p, binEnergy: e });
  }

  private store(p: number, e: number): void {
    if (this.count === this.peak.length) {
      const peak = new Float32Array(this.count * 2);
      const energy = new Float64Array(this.count * 2);
      peak.set(this.peak);
      energy.set(this.energy);
      this.peak = peak;
      this.energy = energy;
    }
    this.peak[this.count] = p;
    this.energy[this.count] = e;
    this.count++;
  }

  /** The bins so far, plus the partial one. Call once, at the end. */
  finish(): Bins {
    if (this.inBin > 0) this.store(this.binPeak, this.binEnergy);
    this.inBin = 0;
    return { peak: this.peak.subarray(0, this.count), energy: this.energy.subarray(0, this.count) };
  }
}

/** Per-millisecond peak and K-weighted energy of a whole signal. */
export function binSignal(samples: Float32Array): Bins {
  const acc = new BinAccumulator();
  acc.push(samples);
  return acc.finish();
}

const toLufs = (meanSquare: number): number =>
  meanSquare > 0 ? -0.691 + 10 * Math.log10(meanSquare) : -Infinity;
const fromLufs = (lufs: number): number => 10 ** ((lufs + 0.691) / 10);

/** Mean squares of windows of `size` bins every HOP_BINS, each bin's energy scaled by scale[bin]². */
function windowPowers(energy: Float64Array, size: number, scale?: Float32Array): Float64Array {
  if (energy.length === 0) return new Float64Array(0);
  const prefix = new Float64Array(energy.length + 1);
  for (let i = 0; i < energy.length; i++) {
    const s = scale ? (scale[i] as number) : 1;
    prefix[i + 1] = (prefix[i] as number) + (energy[i] as number) * s * s;
  }
  // Shorter than one window: BS.1770 has no answer (ebur128 prints -70); the whole is one window.
  if (energy.length < size) {
    return Float64Array.of((prefix[energy.length] as number) / (energy.length * BIN_SAMPLES));
  }
  const windows = Math.floor((energy.length - size) / HOP_BINS) + 1;
  const out = new Float64Array(windows);
  for (let w = 0; w < windows; w++) {
    const from = w * HOP_BINS;
    out[w] = ((prefix[from + size] as number) - (prefix[from] as number)) / (size * BIN_SAMPLES);
  }
  return out;
}

function gatedMean(powers: Float64Array, threshold: number): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const p of powers) {
    if (p > threshold) {
      sum += p;
      count++;
    }
  }
  return { mean: count > 0 ? sum / count : 0, count };
}

/**
 * Gated integrated loudness in LUFS (-Infinity when nothing passes the gates, e.g. silence or
 * a signal below the absolute gate). `scale` applies a per-bin linear gain first (used to model gain + limiter).
 */
export function integratedLoudness(energy: Float64Array, scale?: Float32Array): number {
  const blocks = windowPowers(energy, BLOCK_BINS, scale);
  const absolute = gatedMean(blocks, fromLufs(ABSOLUTE_GATE_LUFS));
  if (absolute.count === 0) return -Infinity;
  const relativeGate = Math.max(fromLufs(ABSOLUTE_GATE_LUFS), absolute.mean * 10 ** (-10 / 10));
  return toLufs(gatedMean(blocks, relativeGate).mean);
}

/** EBU Tech 3342 loudness range in LU: 10th to 95th percentile of gated short-term loudness. */
export function loudnessRange(energy: Float64Array): number {
  const shortTerm = windowPowers(energy, SHORT_TERM_BINS);
  const absolute = gatedMean(shortTerm, fromLufs(ABSOLUTE_GATE_LUFS));
  if (absolute.count === 0) return 0;
  const gate = Math.max(fromLufs(ABSOLUTE_GATE_LUFS), absolute.mean * 10 ** (-20 / 10));
  const levels = Array.from(shortTerm)
    .filter((p) => p > gate)
    .map(toLufs)
    .sort((a, b) => a - b);
  const at = (q: number): number =>
    levels[Math.min(levels.length - 1, Math.round(q * (levels.length - 1)))] ?? 0;
  return levels.length > 1 ? at(0.95) - at(0.1) : 0;
}
