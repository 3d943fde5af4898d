import { measurePcm, PcmMeter } from '../../src/audio/pcm-meter';

/** A limited-looking signal: a loud burst with sharp inter-sample peaks, over quiet tone. */
function signal(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const quiet = 0.05 * Math.sin(i * 0.07);
    // fs/4 with a phase that puts the true peak between samples: 3 dB over the samples.
    const burst = i > 20_000 && i < 21_000 ? 0.7 * Math.sin((Math.PI / 2) * i + Math.PI / 4) : 0;
    return quiet + burst;
  });
}

describe('PcmMeter', () => {
  it('measures a stream in odd-sized chunks exactly as the whole array', () => {
    const samples = signal(48_000);
    const bytes = Buffer.from(samples.buffer);
    const meter = new PcmMeter();
    // Chunk sizes that split samples, as a pipe may.
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 9001 || 5)
      meter.push(bytes.subarray(at, Math.min(bytes.length, at + size)));
    const streamed = meter.finish();
    const whole = measurePcm(samples);
    expect(streamed.sampleCount).toBe(samples.length);
    expect(streamed.truePeak).toBe(whole.truePeak);
    // The inter-sample peak was found: 3 dB over the largest sample.
    const samplePeak = samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(streamed.truePeak).toBeGreaterThan(samplePeak * 1.35);
    expect(Array.from(streamed.bins.energy)).toEqual(Array.from(whole.bins.energy));
  });
});
