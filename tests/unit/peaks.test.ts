import { peaksPreview, waveformPeaks } from '../../src/audio/peaks';

describe('waveform peaks', () => {
  it('takes the maximum of each 20 ms bucket of millisecond bins', () => {
    const bins = new Float32Array(60).fill(0.1);
    bins[25] = 0.8;
    expect(waveformPeaks(bins, 1000)).toEqual({ samplesPerSecond: 50, data: [0.1, 0.8, 0.1] });
  });

  it('thumbnails any length into the preview width without losing a peak', () => {
    const data = Array.from({ length: 1000 }, (_, i) => (i === 517 ? 1 : 0.2));
    const preview = peaksPreview({ samplesPerSecond: 50, data }, 48);
    expect(preview).toHaveLength(48);
    expect(preview.filter((v) => v === 1)).toHaveLength(1);
    expect(preview[Math.floor((517 * 48) / 1000)]).toBe(1);
    // Shorter than the width: every point still has a value.
    expect(peaksPreview({ samplesPerSecond: 50, data: [0.5, 0.25] }, 4)).toEqual([
      0.5, 0.5, 0.25, 0.25,
    ]);
    expect(peaksPreview({ samplesPerSecond: 50, data: [] })).toEqual([]);
  });
});
