/**
 * Waveform peaks for the inbox player: max |sample| per bucket, 0..1, three decimals.
 * 50 buckets a second (20 ms) draws a sharp waveform at any width a page will use and keeps a
 * five-minute clip at 15 000 numbers (about 90 KB of JSON).
 */
export const PEAKS_PER_SECOND = 50;

export interface Peaks {
  samplesPerSecond: number;
  data: number[];
}

export function waveformPeaks(
  samples: Float32Array,
  sampleRate: number,
  perSecond = PEAKS_PER_SECOND,
): Peaks {
  const bucket = Math.round(sampleRate / perSecond);
  const data: number[] = [];
  for (let start = 0; start < samples.length; start += bucket) {
    const end = Math.min(samples.length, start + bucket);
    let max = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(samples[i] as number);
      if (a > max) max = a;
    }
    data.push(Math.round(Math.min(1, max) * 1000) / 1000);
  }
  return { samplesPerSecond: perSecond, data };
}
