import { ChannelStats, chooseChannels, chosenPeak, type ChannelMode } from './channel-choice';
import { toDb } from './true-peak';

/** What the upload check found out about a file, whichever way it was measured. */
export interface UploadFacts {
  /** Decoded length, capped at maxDurationSeconds + 1 (so "too long" is still visible). */
  durationSeconds: number;
  /** Sample peak in dBFS of the chosen mono signal; -144 for digital silence. */
  peakDb: number;
  /** How the mono signal would be made from the channels. */
  channelMode: ChannelMode;
  corrupt: boolean;
  /** Why it is corrupt, for logs (ffmpeg's or the WAV reader's words, without paths). */
  problem?: string;
}

/** Allowance over the limit, so a file just over it is measured as over it. */
export const INSPECT_CAP_EXTRA_SECONDS = 1;
/** How far past MAX_DURATION_SECONDS a message may run before it is refused. */
export const ALLOWANCE_OVER_MAX_SECONDS = 0.5;

/** The one rule for "too long", applied while an upload arrives and after it. */
export const isTooLong = (seconds: number, maxSeconds: number): boolean =>
  seconds > maxSeconds + ALLOWANCE_OVER_MAX_SECONDS;

export function factsFromStats(
  stats: ChannelStats,
  seconds: number,
  problem: string | undefined,
): UploadFacts {
  const channelMode = chooseChannels(stats);
  const facts = {
    durationSeconds: Math.round(seconds * 1000) / 1000,
    peakDb: Math.round(toDb(chosenPeak(stats, channelMode)) * 10) / 10,
    channelMode,
  };
  return problem === undefined
    ? { ...facts, corrupt: false }
    : { ...facts, corrupt: true, problem };
}
