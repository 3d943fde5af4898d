import {
  ChannelStats,
  channelWeights,
  chooseChannels,
  chosenPeak,
  monoSignal,
} from '../../src/audio/channel-choice';

/** Interleaved stereo of `left(t)` and `right(t)` over one second at 1 kHz. */
function stereo(left: (t: number) => number, right: (t: number) => number): Float32Array {
  const out = new Float32Array(2000);
  for (let i = 0; i < 1000; i++) {
    out[2 * i] = left(i / 1000);
    out[2 * i + 1] = right(i / 1000);
  }
  return out;
}
const voice = (t: number): number => 0.5 * Math.sin(2 * Math.PI * 110 * t);
const other = (t: number): number => 0.4 * Math.sin(2 * Math.PI * 173 * t + 1);
const statsOf = (samples: Float32Array): ChannelStats => {
  const stats = new ChannelStats();
  stats.push(samples.subarray(0, 777), 0, 776); // any chunking, whole frames
  stats.push(samples.subarray(776));
  return stats;
};

describe('chooseChannels', () => {
  const cases: Array<[string, string, Float32Array, number]> = [
    ['the same signal on both sides', 'downmix', stereo(voice, voice), 0.5],
    ['two different signals', 'downmix', stereo(voice, other), 0.45],
    [
      'one side with its polarity inverted',
      'polarity-corrected',
      stereo(voice, (t) => -voice(t)),
      0.5,
    ],
    ['a mostly inverted side', 'polarity-corrected', stereo(voice, (t) => -0.6 * voice(t)), 0.4],
    [
      'a voice on the left, room noise on the right',
      'left',
      stereo(voice, (t) => 0.01 * other(t)),
      0.5,
    ],
    ['a voice on the right only', 'right', stereo((t) => 0.02 * other(t), voice), 0.5],
    // A mono upload arrives as (x, 0): its one channel at full level, not halved.
    ['a mono upload', 'downmix', stereo(voice, () => 0), 0.5],
  ];
  it.each(cases)('%s -> %s', (_name, mode, samples, peak) => {
    const stats = statsOf(samples);
    expect(stats.frames).toBe(1000);
    const chosen = chooseChannels(stats);
    expect(chosen).toBe(mode);
    const mono = monoSignal(samples, channelWeights(stats, chosen));
    const monoPeak = mono.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(monoPeak).toBeCloseTo(chosenPeak(stats, chosen), 5);
    expect(monoPeak).toBeGreaterThan(peak * 0.95);
  });

  it('a blind sum of an inverted side is silence, which the choice avoids', () => {
    const samples = stereo(voice, (t) => -voice(t));
    const sum = monoSignal(samples, [0.5, 0.5]);
    expect(sum.every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });
});

describe('ChannelStats.pushMono', () => {
  it('measures exactly what push measures of the same samples as (x, 0), at any length and offset', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const mono = Int16Array.from({ length: 4099 }, () => Math.round(random() * 32767));
    // The loudest sample is negative and sits in the last lane of the unrolled loop from 0.
    mono[2051] = -32768;
    for (const [from, to] of [
      [0, 4099],
      [1, 4098],
      [3, 6],
      [2051, 2052],
    ] as const) {
      const asStereo = new Int16Array(2 * (to - from));
      for (let i = from; i < to; i++) asStereo[2 * (i - from)] = mono[i] as number;
      const expected = new ChannelStats();
      expected.push(asStereo, 0, asStereo.length, 1 / 32768);
      const measured = new ChannelStats();
      measured.pushMono(mono, from, to, 1 / 32768);
      expect(measured.frames).toBe(expected.frames);
      expect(measured.peak.left).toBe(expected.peak.left);
      expect(measured.peak.sum).toBe(expected.peak.sum);
      expect(measured.energy.left).toBeCloseTo(expected.energy.left, 9);
      expect(measured.energy.sum).toBeCloseTo(expected.energy.sum, 9);
    }
  });
});
