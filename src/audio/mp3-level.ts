import type { LoudnessMeasurement } from '../submissions/submission';
import { decodeOwnFileArgs, mp3FromWavArgs } from './ffmpeg-args';
import { integratedLoudness } from './loudness';
import { PcmMeter } from './pcm-meter';
import { runProcess } from './run-process';
import { toDb } from './true-peak';

/**
 * The MP3 plays at the WAV's loudness. LAME's quantiser rounds towards zero, so an MP3 comes out
 * quieter than what it was made from, by the same factor across the spectrum (measured: 0.45 dB
 * at 96 kb/s on a 1 kHz tone and on speech, 0.27 dB at 192 kb/s, the same with ffmpeg's and
 * libmad's decoders). The render adds a gain to its MP3 branch; this measures the MP3 as a
 * player decodes it and, when it is still off, encodes it again from the WAV, corrected.
 */

/** The MP3 may differ from the WAV by this much before it is made again. */
export const MP3_TOLERANCE_LU = 0.1;

/** What the encoder took away last time, per bitrate: the next render's MP3 gain starts there. */
const learnedGainDb = new Map<number, number>();
export const expectedMp3GainDb = (bitrateKbps: number): number =>
  learnedGainDb.get(bitrateKbps) ?? 0;

export interface Mp3LevelPlan {
  ffmpegPath: string;
  wavPath: string;
  mp3Path: string;
  /** The WAV's measured loudness, the level to match. */
  wavLufs: number;
  /** The gain the render gave the MP3 branch. */
  renderedGainDb: number;
  truePeakDbtp: number;
  mp3BitrateKbps: number;
  timeoutMs: () => number;
  signal?: AbortSignal;
}

export interface Mp3Level extends LoudnessMeasurement {
  /** Gain of the final MP3 relative to the WAV's samples. */
  gainDb: number;
  /** 0 when the render's MP3 was already right, 1 when it was made again. */
  reencodes: number;
}

export async function measureFile(
  ffmpegPath: string,
  file: { path: string; format: 'mp3' | 'wav' },
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<LoudnessMeasurement> {
  const meter = new PcmMeter();
  await runProcess(
    ffmpegPath,
    decodeOwnFileArgs({ inputPath: file.path, ffmpegFormat: file.format }),
    {
      ...options,
      stdout: meter.push,
    },
  );
  const { bins, truePeak } = meter.finish();
  return { integratedLufs: integratedLoudness(bins.energy), truePeakDbtp: toDb(truePeak) };
}

/** Measures the render's MP3 and, if it misses the WAV's loudness, makes it again from the WAV. */
export async function levelMp3(plan: Mp3LevelPlan): Promise<Mp3Level> {
  const run = () => ({ timeoutMs: plan.timeoutMs(), ...(plan.signal && { signal: plan.signal }) });
  const mp3 = { path: plan.mp3Path, format: 'mp3' as const };
  let measured = await measureFile(plan.ffmpegPath, mp3, run());
  let gainDb = plan.renderedGainDb;
  let reencodes = 0;
  const missing = plan.wavLufs - measured.integratedLufs;
  if (Number.isFinite(missing) && Math.abs(missing) > MP3_TOLERANCE_LU) {
    // Never past the true-peak ceiling: quieter by what it takes, rather than louder and clipped.
    const headroom = plan.truePeakDbtp - measured.truePeakDbtp;
    gainDb += Math.min(missing, headroom);
    await runProcess(
      plan.ffmpegPath,
      mp3FromWavArgs({
        wavPath: plan.wavPath,
        mp3Path: plan.mp3Path,
        gainDb,
        mp3BitrateKbps: plan.mp3BitrateKbps,
      }),
      run(),
    );
    measured = await measureFile(plan.ffmpegPath, mp3, run());
    reencodes = 1;
  }
  if (Number.isFinite(measured.integratedLufs)) learnedGainDb.set(plan.mp3BitrateKbps, gainDb);
  return { ...measured, gainDb, reencodes };
}
