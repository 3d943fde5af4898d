import type { NoiseStage } from './denoise-plan';

/**
 * The noise stage of the render's filter graph (pure; see denoise-plan.ts for the choices).
 *
 * afftdn learns the noise from the message's longest pause: that pause is read a second time
 * (input 1) and played in front of the message, afftdn samples it (`sn start`/`sn stop`), and the
 * trim after the stage removes it again, so the whole message, its start included, is cleaned
 * with the measured profile. afftdn delays its output by AFFTDN_LATENCY samples at 48 kHz and
 * drops that much of the end: the input is padded by it and the trim starts that much later.
 */

export const AFFTDN_LATENCY = 1200;
/** Width of each hum notch (Hz): mains drifts by about ±0.2 Hz, a voice's harmonics are wider. */
export const NOTCH_WIDTH_HZ = 2;

export interface NoiseGraph {
  /** Filter-graph text ending in a labelled pad, `[denoised]`. */
  graph: string;
  /** Samples the trim must skip: the pause played in front, and afftdn's delay. */
  offsetSamples: number;
  /** Whether the render must give the raw file as a second input. */
  readsProfile: boolean;
}

const fixed = (v: number, digits = 3): string => v.toFixed(digits);

export function noiseGraph(stage: NoiseStage | undefined, rate: number): NoiseGraph {
  const notches = (stage?.notchesHz ?? []).map(
    (hz) => `bandreject=f=${fixed(hz, 2)}:width_type=h:width=${NOTCH_WIDTH_HZ}`,
  );
  const bb = stage?.broadband;
  if (!bb) {
    const chain = notches.length > 0 ? notches.join(',') : 'anull';
    return { graph: `[0:a]${chain}[denoised]`, offsetSamples: 0, readsProfile: false };
  }
  if (bb.engine === 'arnndn') {
    // The path is checked at start-up to hold no character the graph would read as syntax.
    const chain = [...notches, `arnndn=m=${bb.modelPath}`].join(',');
    return { graph: `[0:a]${chain}[denoised]`, offsetSamples: 0, readsProfile: false };
  }
  const profileSamples = bb.profile.endSample - bb.profile.startSample;
  const stop = fixed(Math.max(0, profileSamples / rate - 0.02));
  const chain = [
    ...notches,
    `asendcmd=c='0 afftdn@noise sn start;${stop} afftdn@noise sn stop'`,
    `apad=pad_len=${AFFTDN_LATENCY}`,
    `afftdn@noise=nr=${fixed(bb.reductionDb, 1)}:nf=${fixed(bb.floorDbfs, 1)}`,
  ];
  return {
    graph:
      `[1:a]atrim=start_sample=${bb.profile.startSample}:end_sample=${bb.profile.endSample},` +
      `asetpts=PTS-STARTPTS[pause];[pause][0:a]concat=n=2:v=0:a=1,${chain.join(',')}[denoised]`,
    offsetSamples: profileSamples + AFFTDN_LATENCY,
    readsProfile: true,
  };
}
