import { BIN_SAMPLES } from './loudness';
import { FRAME_BINS, type VoiceActivity } from './voice-activity';

/**
 * Where a message's spoken content starts and ends, from the voice-activity decision
 * (voice-activity.ts): never inside speech, whatever its level. A sentence spoken 30 dB softer
 * than the one before it is still speech; the recording's loudness plays no part. Beyond the
 * speech, what stays above the noise floor measured in the pauses (the tail of a word, a room's
 * decay) is kept too, up to `tailSeconds`, and then `padSeconds` of the pause itself.
 */

export interface TrimOptions {
  /** Pause kept before and after the speech, in seconds. */
  padSeconds: number;
  /** How far sound above the noise floor is followed beyond the speech, in seconds. */
  tailSeconds: number;
  /** "Above the noise floor": by this many dB. */
  aboveFloorDb: number;
}

export const DEFAULT_TRIM: Readonly<TrimOptions> = {
  padSeconds: 0.2,
  tailSeconds: 0.3,
  aboveFloorDb: 3,
};

export interface SampleRange {
  startSample: number;
  endSample: number;
}

/** The range to keep, in samples; everything when no voice was found to anchor on. */
export function speechRange(
  activity: VoiceActivity,
  totalSamples: number,
  { padSeconds, tailSeconds, aboveFloorDb }: TrimOptions = DEFAULT_TRIM,
  sampleRate = 48000,
): SampleRange {
  const { speech, levelDb, noiseFloorDb } = activity;
  let first = speech.indexOf(1);
  let last = speech.lastIndexOf(1);
  if (first < 0) return { startSample: 0, endSample: totalSamples };
  const frameSeconds = (FRAME_BINS * BIN_SAMPLES) / sampleRate;
  const follow = Math.round(tailSeconds / frameSeconds);
  const audible = (f: number) => (levelDb[f] as number) > noiseFloorDb + aboveFloorDb;
  for (let k = 0; k < follow && first > 0 && audible(first - 1); k++) first--;
  for (let k = 0; k < follow && last < levelDb.length - 1 && audible(last + 1); k++) last++;
  const frameSamples = FRAME_BINS * BIN_SAMPLES;
  const pad = Math.round(padSeconds * sampleRate);
  return {
    startSample: Math.max(0, first * frameSamples - pad),
    // The last frame's end; a partial frame after it (under 20 ms) goes with it.
    endSample: Math.min(totalSamples, (last + 1) * frameSamples + pad),
  };
}
