import type { EngineSegment, EngineToken } from './engine-protocol';
import type { TranscriptSegment, TranscriptWord } from './transcript';

/** whisper's special tokens (end of text, timestamps, language tags) are not words. */
const isSpecial = (token: EngineToken) => token.id >= 50257 || /^\[_.*\]$/.test(token.text);

const seconds = (ms: number, duration: number) =>
  Math.min(duration, Math.max(0, Math.round(ms) / 1000));

/** Sub-word tokens joined into words: a token starting with a space begins a new one. */
function wordsOf(tokens: EngineToken[], duration: number): TranscriptWord[] {
  const words: TranscriptWord[] = [];
  for (const token of tokens) {
    if (isSpecial(token) || token.from === undefined || token.to === undefined) continue;
    const start = seconds(token.from, duration);
    const end = Math.max(start, seconds(token.to, duration));
    const last = words[words.length - 1];
    if (last && !/^\s/.test(token.text)) {
      last.text += token.text;
      last.end = Math.max(last.end, end);
      last.p = Math.min(last.p, token.p);
    } else {
      words.push({ start, end, text: token.text.trim(), p: token.p });
    }
  }
  return words.filter((w) => w.text !== '');
}

/**
 * The engine's segments as the document keeps them: times in seconds and inside the clip (whisper
 * pads its input to 30 s, so its last times can run past the end), empty segments dropped.
 */
export function shapeSegments(segments: EngineSegment[], duration: number): TranscriptSegment[] {
  const shaped: TranscriptSegment[] = [];
  for (const segment of segments) {
    const text = segment.text.replace(/\s+/g, ' ').trim();
    const start = seconds(segment.from, duration);
    if (!text || start >= duration) continue;
    const end = Math.max(start, seconds(segment.to, duration));
    const words = wordsOf(segment.tokens, duration);
    shaped.push({ start, end, text, ...(words.length > 0 && { words }) });
  }
  return shaped;
}

/** The language the engine detected (the first segment's; whisper detects once per run). */
export function detectedLanguage(segments: EngineSegment[], asked: string): string {
  return segments.find((s) => s.lang)?.lang ?? (asked === 'auto' ? 'und' : asked);
}
