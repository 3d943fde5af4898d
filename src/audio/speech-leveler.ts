import { BIN_SAMPLES } from './loudness';
import { FRAME_BINS, FRAME_MS, type VoiceActivity } from './voice-activity';

/**
 * Slow, speech-aware levelling between the passages of one message, before the one gain and the
 * limiter that bring the clip to its target. A listener who laughs out loud and then speaks
 * softly, or drops their voice for the second sentence, would otherwise keep that difference:
 * one gain cannot serve both passages.
 *
 * Each speech frame's level is taken over the speech of its own passage (speech between pauses of
 * PASSAGE_GAP_MS or more) within ±WINDOW_SECONDS (pauses do not count, so they do not pull it
 * down); its distance from the message's typical speech level
 * (typicalLevel) is corrected beyond a dead band, so natural emphasis stays. Pauses
 * get the smaller gain of the speech on either side: noise and breaths are never raised more than
 * the quieter of their neighbours; a rise towards quieter speech ramps through the 300 ms before
 * it. The level moves slowly; it does not pump.
 */

export const WINDOW_SECONDS = 1.5;
export const DEAD_BAND_LU = 1.5;
export const MAX_BOOST_DB = 30;
export const MAX_CUT_DB = 30;
const SMOOTH_FRAMES = 15; // 300 ms

export interface Leveling {
  /** Gain per 20 ms frame, in dB. */
  gainsDb: Float32Array;
  /** The largest boost and cut applied anywhere, in dB (0 when the message was even). */
  maxBoostDb: number;
  maxCutDb: number;
}

/**
 * The message's typical speech level: the upper quartile of the frames' local levels. Where two
 * passages are about as long, the louder one is the reference and the softer is raised, so the
 * clip's one gain stays small; a short outburst (under a quarter of the speech) is brought down.
 */
function typicalLevel(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * 0.75)] ?? 0;
}

/** A pause this long separates two passages. */
export const PASSAGE_GAP_MS = 300;

/** For each speech frame, the first and the (exclusive) last frame of its passage. */
function passages(speech: Uint8Array): { start: Uint32Array; end: Uint32Array } {
  const gap = Math.round(PASSAGE_GAP_MS / FRAME_MS);
  const start = new Uint32Array(speech.length);
  const end = new Uint32Array(speech.length);
  let from = -1;
  let lastSpeech = -gap - 1;
  const close = (to: number) => {
    for (let k = from; k < to; k++) end[k] = to;
  };
  for (let f = 0; f < speech.length; f++) {
    if (!speech[f]) continue;
    if (f - lastSpeech > gap) {
      if (from >= 0) close(lastSpeech + 1);
      from = f;
    }
    start[f] = from;
    lastSpeech = f;
  }
  if (from >= 0) close(lastSpeech + 1);
  return { start, end };
}

export function levelingGains(activity: VoiceActivity): Leveling {
  const { speech, levelDb } = activity;
  const frames = levelDb.length;
  const gainsDb = new Float32Array(frames);
  if (activity.voicedFrames === 0) return { gainsDb, maxBoostDb: 0, maxCutDb: 0 };

  // Prefix sums of speech energy and speech frame counts, for windowed means.
  const energy = new Float64Array(frames + 1);
  const count = new Uint32Array(frames + 1);
  for (let f = 0; f < frames; f++) {
    const on = speech[f] === 1;
    energy[f + 1] = (energy[f] as number) + (on ? 10 ** ((levelDb[f] as number) / 10) : 0);
    count[f + 1] = (count[f] as number) + (on ? 1 : 0);
  }
  const half = Math.round((WINDOW_SECONDS * 1000) / FRAME_MS);
  const { start, end } = passages(speech);
  const local = new Float32Array(frames);
  const speechLevels: number[] = [];
  for (let f = 0; f < frames; f++) {
    if (!speech[f]) continue;
    // Within the frame's own passage: a loud sentence must not lift the next one's level.
    const from = Math.max(start[f] as number, f - half);
    const to = Math.min(end[f] as number, f + half + 1);
    const n = (count[to] as number) - (count[from] as number);
    local[f] = 10 * Math.log10(((energy[to] as number) - (energy[from] as number)) / n);
    speechLevels.push(local[f] as number);
  }
  const typical = typicalLevel(speechLevels);

  const raw = new Float32Array(frames).fill(Number.NaN);
  for (let f = 0; f < frames; f++) {
    if (!speech[f]) continue;
    const off = (local[f] as number) - typical;
    const beyond = Math.max(0, Math.abs(off) - DEAD_BAND_LU);
    raw[f] = Math.min(MAX_BOOST_DB, Math.max(-MAX_CUT_DB, off > 0 ? -beyond : beyond));
  }
  // Pauses: the smaller gain of the speech before and after (the nearest at either end).
  let previous = Number.NaN;
  const before = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    if (!Number.isNaN(raw[f] as number)) previous = raw[f] as number;
    before[f] = previous;
  }
  let next = Number.NaN;
  for (let f = frames - 1; f >= 0; f--) {
    if (!Number.isNaN(raw[f] as number)) next = raw[f] as number;
    if (Number.isNaN(raw[f] as number)) {
      const b = before[f] as number;
      raw[f] = Number.isNaN(b) ? next : Number.isNaN(next) ? b : Math.min(b, next);
    }
  }
  // Smoothed looking ahead, so a rise is complete when the quieter speech starts (the ramp runs
  // through the pause before it); within speech never above its own gain, so a cut comes at once.
  let maxBoostDb = 0;
  let maxCutDb = 0;
  let sum = 0;
  for (let k = 0; k < Math.min(frames, SMOOTH_FRAMES); k++) sum += raw[k] as number;
  for (let f = 0; f < frames; f++) {
    const n = Math.min(SMOOTH_FRAMES, frames - f);
    const ahead = sum / n;
    const g = speech[f] ? Math.min(ahead, raw[f] as number) : ahead;
    sum -= raw[f] as number;
    if (f + SMOOTH_FRAMES < frames) sum += raw[f + SMOOTH_FRAMES] as number;
    gainsDb[f] = g;
    if (g > maxBoostDb) maxBoostDb = g;
    if (-g > maxCutDb) maxCutDb = -g;
  }
  return { gainsDb, maxBoostDb, maxCutDb };
}

/** The samples with the frame gains applied, interpolated linearly between frame centres. */
export function applyLeveling(samples: Float32Array, gainsDb: Float32Array): Float32Array {
  const out = new Float32Array(samples.length);
  const frameSamples = FRAME_BINS * BIN_SAMPLES;
  const linear = Float32Array.from(gainsDb, (g) => 10 ** (g / 20));
  const last = linear.length - 1;
  for (let i = 0; i < samples.length; i++) {
    const position = i / frameSamples - 0.5;
    const f = Math.max(0, Math.min(last, Math.floor(position)));
    const t = Math.max(0, Math.min(1, position - f));
    const g0 = linear[f] ?? 1;
    const g1 = linear[Math.min(last, f + 1)] ?? g0;
    out[i] = (samples[i] as number) * (g0 + (g1 - g0) * t);
  }
  return out;
}
