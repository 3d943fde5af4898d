/** A stretch of speech as the engine split it, with times in seconds from the clip's start. */
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
  /** Words with their times, where the engine gives them. */
  words?: TranscriptWord[];
}

export interface TranscriptWord {
  start: number;
  end: number;
  text: string;
  /** The engine's probability for the word (0–1). */
  p: number;
}

export const TRANSCRIPT_STATES = ['transcribing', 'ready', 'failed', 'unavailable'] as const;
export type TranscriptDocumentState = (typeof TRANSCRIPT_STATES)[number];

/** Why no transcript can be made on this machine (the inbox says how to change that). */
export type UnavailableReason = 'no-model' | 'no-engine';

/**
 * `submissions/<id>/transcript.json`: what the machine heard. Written only by the transcribe
 * worker; its absence means "queued" (or "off" when transcription is switched off).
 */
export interface TranscriptDocument {
  state: TranscriptDocumentState;
  attempt: number;
  updatedAt: string;
  error?: string;
  reason?: UnavailableReason;
  /** The render it was made from (its processing document's `updatedAt`). */
  renderedAt?: string;
  model?: { name: string; bytes: number };
  result?: {
    /** Detected language (ISO 639-1 code as whisper names it). */
    language: string;
    text: string;
    segments: TranscriptSegment[];
    durationSeconds: number;
    /** Wall time of the engine run, and its ratio to the clip's length. */
    seconds: number;
    realTimeFactor: number;
  };
}

/** `submissions/<id>/transcript-edit.json`: the team's correction, kept beside the machine's text. */
export interface TranscriptEdit {
  text: string;
  updatedAt: string;
  updatedBy?: string;
}

export type TranscriptState = 'off' | 'queued' | TranscriptDocumentState;

/** What the inbox and the API show of a transcript. */
export interface TranscriptView {
  state: TranscriptState;
  language?: string;
  /** The text to read: the team's edit where there is one, else the machine's. */
  text?: string;
  edited?: boolean;
  error?: string;
  reason?: UnavailableReason;
}

/** The first words of a transcript, for the inbox list and the team mail. */
export function firstLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

export function transcriptView(
  enabled: boolean,
  doc: TranscriptDocument | undefined,
  edit: TranscriptEdit | undefined,
): TranscriptView {
  if (!doc) return { state: enabled ? 'queued' : 'off' };
  const text = edit?.text ?? doc.result?.text;
  return {
    state: doc.state,
    ...(doc.result && { language: doc.result.language }),
    ...(text !== undefined && { text }),
    ...(edit && { edited: true }),
    ...(doc.error !== undefined && { error: doc.error }),
    ...(doc.reason !== undefined && { reason: doc.reason }),
  };
}
