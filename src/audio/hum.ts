import type { SampleRange } from './trim';

/**
 * Mains hum in a message's pauses: a 50 or 60 Hz series of harmonics standing out of the noise
 * around them. Measured with the Goertzel algorithm (one frequency at a time, Hann-windowed) on
 * each long enough pause, the powers averaged over pauses: phases do not have to line up across
 * pauses, and twelve frequencies per harmonic cost far less than a spectrum.
 */

export const MAINS_HZ = [50, 60] as const;
export const HARMONICS = 8;
/** A harmonic counts when it stands this far above the noise beside it. */
export const HUM_PROMINENCE_DB = 12;
/** Where the noise beside a harmonic is read, in Hz either side (outside the window's main lobe). */
const BESIDE_HZ = [14, 20];
/** Harmonics that must stand out for a series to be mains hum. */
export const MIN_HARMONICS = 3;
/** A pause shorter than this cannot resolve 50 Hz from its neighbours. */
export const MIN_PAUSE_SECONDS = 0.3;
/** Enough pause to measure; more costs time and adds nothing. */
const MAX_MEASURED_SECONDS = 3;

export interface Hum {
  baseHz: (typeof MAINS_HZ)[number];
  /** The harmonics that stand out, in Hz, each with how far (dB). */
  harmonics: { hz: number; prominenceDb: number }[];
  /** Their mean square together, in the pauses (a sine's is 8× its Hann-windowed power). */
  meanSquare: number;
}

/** A stretch of samples times a Hann window, once, for every frequency measured on it. */
export function hannWindowed(samples: Float32Array, from: number, to: number): Float32Array {
  const n = to - from;
  const out = new Float32Array(n);
  const step = (2 * Math.PI) / (n - 1);
  // The window by rotation (cos of a growing angle) rather than a cosine per sample.
  const cs = Math.cos(step);
  const sn = Math.sin(step);
  let c = 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    out[i] = (samples[from + i] as number) * (0.5 - 0.5 * c);
    const next = c * cs - s * sn;
    s = s * cs + c * sn;
    c = next;
  }
  return out;
}

/** Goertzel power of one frequency over windowed samples (normalised by their count). */
function power(windowed: Float32Array, hz: number, rate: number): number {
  const n = windowed.length;
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = (windowed[i] as number) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (n * n);
}

/** Power of one frequency over a Hann-windowed stretch of samples (normalised per sample). */
export function tonePower(
  samples: Float32Array,
  from: number,
  to: number,
  hz: number,
  rate: number,
): number {
  return power(hannWindowed(samples, from, to), hz, rate);
}

/** The hum in the given pauses, or undefined when none stands out. */
export function findHum(
  samples: Float32Array,
  pauses: SampleRange[],
  rate = 48000,
): Hum | undefined {
  const usable = pauses.filter((p) => p.endSample - p.startSample >= MIN_PAUSE_SECONDS * rate);
  if (usable.length === 0) return undefined;
  const measured: SampleRange[] = [];
  let budget = MAX_MEASURED_SECONDS * rate;
  const longestFirst = [...usable].sort(
    (a, b) => b.endSample - b.startSample - (a.endSample - a.startSample),
  );
  for (const p of longestFirst) {
    // A short remainder would smear each harmonic over its neighbours: whole pauses only.
    const length = Math.min(p.endSample - p.startSample, budget);
    if (length < MIN_PAUSE_SECONDS * rate) break;
    measured.push({ startSample: p.startSample, endSample: p.startSample + length });
    budget -= length;
  }
  const windowed = measured.map((p) => hannWindowed(samples, p.startSample, p.endSample));
  const powerAt = (hz: number): number => windowed.reduce((sum, w) => sum + power(w, hz, rate), 0);

  let best: Hum | undefined;
  for (const baseHz of MAINS_HZ) {
    const harmonics: Hum['harmonics'] = [];
    let meanSquare = 0;
    for (let k = 1; k <= HARMONICS; k++) {
      const hz = k * baseHz;
      const beside = BESIDE_HZ.flatMap((d) => [powerAt(hz - d), powerAt(hz + d)]);
      const around = beside.reduce((a, b) => a + b, 0) / beside.length;
      const at = powerAt(hz);
      const prominenceDb = 10 * Math.log10(at / Math.max(around, 1e-30));
      if (at > 0 && prominenceDb >= HUM_PROMINENCE_DB) {
        harmonics.push({ hz, prominenceDb: Math.round(prominenceDb * 10) / 10 });
        meanSquare += (8 * at) / windowed.length;
      }
    }
    // A tone or two is a fan or a note; mains hum is a series.
    if (harmonics.length >= MIN_HARMONICS && harmonics.length > (best?.harmonics.length ?? 0))
      best = { baseHz, harmonics, meanSquare };
  }
  return best;
}
