import {
  CLEAN_SNR_DB,
  MAX_REDUCTION_DB,
  MIN_REDUCTION_DB,
  planDenoise,
  removedNoisePower,
} from '../../src/audio/denoise-plan';
import type { NoiseAnalysis } from '../../src/audio/noise-analysis';
import { AFFTDN_LATENCY, noiseGraph, NOTCH_WIDTH_HZ } from '../../src/audio/noise-filter';

const steady = (snrDb: number, extra: Partial<NoiseAnalysis> = {}): NoiseAnalysis => ({
  noiseDb: -20 - snrDb,
  speechDb: -20,
  snrDb,
  fluctuationDb: 3,
  noiseRmsDbfs: -22 - snrDb,
  profile: { startSample: 9600, endSample: 57600 },
  ...extra,
});
const hum = {
  baseHz: 50 as const,
  harmonics: [
    { hz: 50, prominenceDb: 30 },
    { hz: 100, prominenceDb: 25 },
    { hz: 150, prominenceDb: 20 },
  ],
  meanSquare: 1e-6,
};

describe('planDenoise', () => {
  it('leaves clean speech alone', () => {
    const { stage, report } = planDenoise(steady(CLEAN_SNR_DB + 1), { choice: 'auto' });
    expect(stage).toBeUndefined();
    expect(report).toEqual({ choice: 'auto', snrDb: CLEAN_SNR_DB + 1, untouched: 'clean' });
  });

  it('reduces steady noise by what the SNR asks, within bounds', () => {
    const at = (snr: number) => {
      const bb = planDenoise(steady(snr), { choice: 'auto' }).stage?.broadband;
      return bb?.engine === 'afftdn' ? bb.reductionDb : undefined;
    };
    expect(at(5)).toBe(MAX_REDUCTION_DB);
    expect(at(30)).toBe(15);
    expect(at(34)).toBe(11);
    expect(at(44.9)).toBeUndefined(); // clean
    expect(MIN_REDUCTION_DB).toBeLessThan(15);
  });

  it('does not learn from pauses that move (voices, traffic)', () => {
    const { stage, report } = planDenoise(steady(5, { fluctuationDb: 14 }), { choice: 'auto' });
    expect(stage).toBeUndefined();
    expect(report.untouched).toBe('moving-noise');
  });

  it('notches the hum it found, with or without broadband reduction', () => {
    const clean = planDenoise(steady(50, { hum }), { choice: 'auto' });
    expect(clean.stage).toEqual({ notchesHz: [50, 100, 150] });
    expect(clean.report).toMatchObject({
      humHz: 50,
      notchesHz: [50, 100, 150],
      untouched: 'clean',
    });
    const noisy = planDenoise(steady(10, { hum }), { choice: 'auto' });
    expect(noisy.stage?.notchesHz).toEqual([50, 100, 150]);
    expect(noisy.stage?.broadband?.engine).toBe('afftdn');
  });

  it('does nothing when the author chose the original', () => {
    expect(planDenoise(steady(5, { hum }), { choice: 'original' })).toEqual({
      report: { choice: 'original', untouched: 'original' },
    });
  });

  it('uses an RNNoise model where one is given, even for moving noise', () => {
    const { stage, report } = planDenoise(steady(5, { fluctuationDb: 14 }), {
      choice: 'auto',
      modelPath: '/models/voice.rnnn',
    });
    expect(stage?.broadband).toEqual({ engine: 'arnndn', modelPath: '/models/voice.rnnn' });
    expect(report.model).toBe('voice.rnnn');
  });

  it('says why nothing was done without pauses', () => {
    expect(planDenoise({ speechDb: -20 }, { choice: 'auto' }).report.untouched).toBe('no-pause');
  });

  it('predicts the noise power the reduction takes out', () => {
    const analysis = steady(10);
    const { stage } = planDenoise(analysis, { choice: 'auto' });
    const removed = removedNoisePower(analysis, stage);
    expect(removed).toBeCloseTo(10 ** (-30 / 10) * (1 - 10 ** (-MAX_REDUCTION_DB / 10)), 8);
    expect(removedNoisePower(analysis, undefined)).toBe(0);
  });
});

describe('noiseGraph', () => {
  it('passes the signal through when there is nothing to do', () => {
    expect(noiseGraph(undefined, 48000)).toEqual({
      graph: '[0:a]anull[denoised]',
      offsetSamples: 0,
      readsProfile: false,
    });
  });

  it('builds narrow notches for hum alone', () => {
    expect(noiseGraph({ notchesHz: [50, 100] }, 48000).graph).toBe(
      `[0:a]bandreject=f=50.00:width_type=h:width=${NOTCH_WIDTH_HZ},` +
        `bandreject=f=100.00:width_type=h:width=${NOTCH_WIDTH_HZ}[denoised]`,
    );
  });

  it('plays the pause in front for afftdn to learn from, and skips it and the delay after', () => {
    const graph = noiseGraph(
      {
        notchesHz: [],
        broadband: {
          engine: 'afftdn',
          reductionDb: 18,
          floorDbfs: -52.04,
          profile: { startSample: 96000, endSample: 120000 },
        },
      },
      48000,
    );
    expect(graph).toEqual({
      graph:
        '[1:a]atrim=start_sample=96000:end_sample=120000,asetpts=PTS-STARTPTS[pause];' +
        "[pause][0:a]concat=n=2:v=0:a=1,asendcmd=c='0 afftdn@noise sn start;0.480 afftdn@noise sn stop'," +
        `apad=pad_len=${AFFTDN_LATENCY},afftdn@noise=nr=18.0:nf=-52.0[denoised]`,
      offsetSamples: 24000 + AFFTDN_LATENCY,
      readsProfile: true,
    });
  });

  it('uses arnndn with the model where one is given', () => {
    expect(
      noiseGraph(
        { notchesHz: [60], broadband: { engine: 'arnndn', modelPath: '/m/a.rnnn' } },
        48000,
      ).graph,
    ).toBe(
      `[0:a]bandreject=f=60.00:width_type=h:width=${NOTCH_WIDTH_HZ},arnndn=m=/m/a.rnnn[denoised]`,
    );
  });
});
