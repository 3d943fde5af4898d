import type { NoiseAnalysis } from './noise-analysis';
import type { SampleRange } from './trim';

/**
 * What the render does against noise, chosen per message from its pauses (noise-analysis.ts):
 * nothing for clean speech; narrow notches where mains hum stands out; broadband reduction
 * (ffmpeg's afftdn, taught the noise from the message's longest pause) when the noise is steady
 * enough to learn, as strong as the signal-to-noise ratio asks and never stronger than
 * MAX_REDUCTION_DB, so that a voice never sounds underwater. An RNNoise model, where the
 * podcaster gives one, replaces afftdn and copes with noise that moves (babble, traffic).
 */

/** At or above this SNR a message is clean: broadband reduction would only cost the voice. */
export const CLEAN_SNR_DB = 35;
/** Reduction aims to leave the noise this far under the voice... */
export const TARGET_SNR_DB = 45;
/** ...within these bounds (dB). Below the minimum it is not worth a pass. */
export const MIN_REDUCTION_DB = 6;
export const MAX_REDUCTION_DB = 24;
/** Pauses whose level spreads wider than this hold voices or traffic, not a steady noise. */
export const MAX_FLUCTUATION_DB = 10;

export type NoiseChoice = 'auto' | 'original';

export type Broadband =
  | { engine: 'afftdn'; reductionDb: number; floorDbfs: number; profile: SampleRange }
  | { engine: 'arnndn'; modelPath: string };

export interface NoiseStage {
  notchesHz: number[];
  broadband?: Broadband;
}

/** What was done, for the processing record and the inbox. */
export interface NoiseReport {
  choice: NoiseChoice;
  snrDb?: number;
  /** Broadband reduction applied, dB (afftdn), or the model's name (arnndn). */
  reducedDb?: number;
  model?: string;
  humHz?: number;
  notchesHz?: number[];
  /** Why no broadband reduction was applied (`disabled`: DENOISE=off). */
  untouched?: 'original' | 'disabled' | 'clean' | 'no-pause' | 'moving-noise';
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

export function planDenoise(
  noise: NoiseAnalysis,
  options: { choice: NoiseChoice; modelPath?: string; disabled?: boolean },
): { stage?: NoiseStage; report: NoiseReport } {
  if (options.choice === 'original')
    return { report: { choice: 'original', untouched: 'original' } };
  // The author's choice is kept as made: the switch must not look undone when DENOISE=off.
  if (options.disabled) return { report: { choice: options.choice, untouched: 'disabled' } };
  const report: NoiseReport = { choice: 'auto' };
  if (noise.snrDb !== undefined) report.snrDb = round1(noise.snrDb);
  const notchesHz = noise.hum?.harmonics.map((h) => h.hz) ?? [];
  if (noise.hum) Object.assign(report, { humHz: noise.hum.baseHz, notchesHz });

  let broadband: Broadband | undefined;
  if (noise.snrDb === undefined || noise.noiseRmsDbfs === undefined) report.untouched = 'no-pause';
  else if (noise.snrDb >= CLEAN_SNR_DB) report.untouched = 'clean';
  else if (options.modelPath) {
    broadband = { engine: 'arnndn', modelPath: options.modelPath };
    report.model = options.modelPath.split('/').pop() ?? options.modelPath;
  } else if ((noise.fluctuationDb ?? Infinity) > MAX_FLUCTUATION_DB)
    report.untouched = 'moving-noise';
  else if (!noise.profile) report.untouched = 'no-pause';
  else {
    const reductionDb = Math.min(
      MAX_REDUCTION_DB,
      Math.max(MIN_REDUCTION_DB, TARGET_SNR_DB - noise.snrDb),
    );
    broadband = {
      engine: 'afftdn',
      reductionDb: round1(reductionDb),
      // afftdn's own bounds.
      floorDbfs: round1(Math.min(-20, Math.max(-80, noise.noiseRmsDbfs))),
      profile: noise.profile,
    };
    report.reducedDb = broadband.reductionDb;
  }
  if (!broadband && notchesHz.length === 0) return { report };
  return { stage: { notchesHz, ...(broadband && { broadband }) }, report };
}

/**
 * K-weighted energy the broadband stage takes out of each sample, for the gain solve: the noise
 * level of the pauses, less what afftdn leaves of it.
 */
export function removedNoisePower(noise: NoiseAnalysis, stage: NoiseStage | undefined): number {
  const bb = stage?.broadband;
  if (bb?.engine !== 'afftdn' || noise.noiseDb === undefined) return 0;
  return 10 ** (noise.noiseDb / 10) * (1 - 10 ** (-bb.reductionDb / 10));
}
