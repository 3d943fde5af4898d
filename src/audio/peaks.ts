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

/**
 * From the per-millisecond bin peaks the meter already has (a bucket is 20 whole bins), so the
 * samples are not read again.
 */
export function waveformPeaks(
  binPeaks: Float32Array,
  binsPerSecond: number,
  perSecond = PEAKS_PER_SECOND,
): Peaks {
  const bucket = binsPerSecond / perSecond;
  if (!Number.isInteger(bucket)) throw new Error('a peaks bucket must be a whole number of bins');
  const data: number[] = [];
  for (let start = 0; start < binPeaks.length; start += bucket) {
    let max = 0;
    for (let i = start; i < Math.min(binPeaks.length, start + bucket); i++) {
      max = Math.max(max, binPeaks[i] as number);
    }
    data.push(Math.round(Math.min(1, max) * 1000) / 1000);
  }
  return { samplesPerSecond: perSecond, data };
}

/** A thumbnail of the waveform for the inbox list: `width` maxima of the peaks, two decimals. */
export function peaksPreview(peaks: Peaks, width = 48): number[] {
  const { data } = peaks;
  if (data.length === 0) return [];
  const preview: number[] = [];
  for (let i = 0; i < width; i++) {
    const start = Math.floor((i * data.length) / width);
    const end = Math.max(start + 1, Math.floor(((i + 1) * data.length) / width));
    let max = 0;
    for (let j = start; j < Math.min(end, data.length); j++) max = Math.max(max, data[j] as number);
    preview.push(Math.round(max * 100) / 100);
  }
  return preview;
}
