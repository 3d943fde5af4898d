import type { ChannelMode } from '../audio/channel-choice';
import type { NoiseChoice, NoiseReport } from '../audio/denoise-plan';
import type { Locale } from '../i18n/locale';
import type { AudioContainer } from '../audio/sniff';
import type { ThreadLink } from '../replies/reply';
import type { TranscriptView } from '../transcripts/transcript';

/** What the listener sent. Written once by the API, never changed. */
export interface ListenerDocument {
  schemaVersion: 1;
  id: string;
  receivedAt: string;
  locale: Locale;
  name: string;
  email?: string;
  message?: string;
  topic?: string;
  consent: ConsentRecord;
  /** Set on a listener's answer to a reply: the thread it belongs to. */
  inReplyTo?: ThreadLink;
  original: {
    key: string;
    container: AudioContainer;
    bytes: number;
    sha256: string;
    /** Decoded length measured at intake (not the container header). */
    durationSeconds: number;
  };
}

export interface ConsentRecord {
  given: true;
  version: string;
  /** sha256 of the exact consent text the listener saw, in their locale. */
  textSha256: string;
  locale: Locale;
  at: string;
  /** The e-mail address may be used to answer this message, and for nothing else (absent: no address). */
  emailUse?: 'reply';
  /** The listener also ticked the newsletter box (absent: podcast only, or an older text). */
  newsletter?: { given: true; textSha256: string };
}

export const PROCESSING_STATES = ['queued', 'processing', 'ready', 'failed'] as const;
export type ProcessingState = (typeof PROCESSING_STATES)[number];

export interface LoudnessMeasurement {
  integratedLufs: number;
  truePeakDbtp: number;
}

export type InputLoudness = LoudnessMeasurement & { loudnessRangeLu: number };

/** The processing result. Written only by the worker; its absence means "queued". */
export interface ProcessingDocument {
  state: Exclude<ProcessingState, 'queued'>;
  attempt: number;
  updatedAt: string;
  error?: string;
  result?: {
    durationSeconds: number;
    trimmedStartSeconds: number;
    trimmedEndSeconds: number;
    /** How the mono clip was made from the upload's channels (absent in older results: downmix). */
    channelMode?: ChannelMode;
    /** False when no voice was found in the message (absent in older results). */
    voiceFound?: boolean;
    /** The largest boost and cut between passages, in dB (absent in older results). */
    leveling?: { maxBoostDb: number; maxCutDb: number };
    /** Hum and noise removed, or why not (absent in older results). */
    noise?: NoiseReport;
    gainDb: number;
    input: InputLoudness;
    /** The WAV. */
    output: LoudnessMeasurement;
    /** The MP3 as a player decodes it (absent in older results). */
    mp3Output?: LoudnessMeasurement;
    wavKey: string;
    mp3Key: string;
    peaksKey: string;
    /** A 48-point thumbnail of the waveform, for the inbox list. */
    peaksPreview?: number[];
  };
}

export const REVIEW_STATES = ['new', 'approved', 'rejected', 'used'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** What reviewers decide and note. Written only by reviewers; its absence means "new". */
export interface ReviewFields {
  state: ReviewState;
  starred: boolean;
  /** The episode the clip is meant for (or, once `used`, was used in). */
  episode?: string;
  /** A private note of the team, never shown to the listener. */
  note?: string;
  /** `original`: render without the noise stage (absent: `auto`). */
  noise?: Extract<NoiseChoice, 'original'>;
}

export interface ReviewDocument extends ReviewFields {
  updatedAt: string;
  /** Who changed it last: an account's e-mail, or "admin-token". */
  updatedBy?: string;
}

export const NEW_REVIEW: ReviewFields = { state: 'new', starred: false };

/** One submission as the admin API shows it, assembled from its three documents. */
export interface Submission extends Omit<ListenerDocument, 'schemaVersion'> {
  processing: {
    state: ProcessingState;
    error?: string;
    updatedAt?: string;
    durationSeconds?: number;
    inputLoudness?: InputLoudness;
    outputLoudness?: LoudnessMeasurement;
    mp3Loudness?: LoudnessMeasurement;
    gainDb?: number;
    channelMode?: ChannelMode;
    voiceFound?: boolean;
    leveling?: { maxBoostDb: number; maxCutDb: number };
    noise?: NoiseReport;
    peaksPreview?: number[];
  };
  review: ReviewFields & { updatedAt?: string; updatedBy?: string };
  transcript: TranscriptView;
}

export function assembleSubmission(
  listener: ListenerDocument,
  processing: ProcessingDocument | undefined,
  review: ReviewDocument | undefined,
  transcript: TranscriptView = { state: 'off' },
): Submission {
  const { schemaVersion: _v, ...fields } = listener;
  const result = processing?.result;
  // Rendered, but not the way the author now wants it: the render again is still to come.
  const renderDue =
    processing?.state === 'ready' &&
    (result?.noise?.choice ?? 'auto') !== (review?.noise ?? 'auto');
  return {
    ...fields,
    processing: {
      state: renderDue ? 'queued' : (processing?.state ?? 'queued'),
      ...(processing?.error !== undefined && { error: processing.error }),
      ...(processing && { updatedAt: processing.updatedAt }),
      durationSeconds: result?.durationSeconds ?? listener.original.durationSeconds,
      ...(result && {
        inputLoudness: result.input,
        outputLoudness: result.output,
        ...(result.mp3Output && { mp3Loudness: result.mp3Output }),
        gainDb: result.gainDb,
        channelMode: result.channelMode ?? 'downmix',
        voiceFound: result.voiceFound ?? true,
        ...(result.leveling && { leveling: result.leveling }),
        ...(result.noise && { noise: result.noise }),
        ...(result.peaksPreview && { peaksPreview: result.peaksPreview }),
      }),
    },
    review: { ...NEW_REVIEW, ...review },
    transcript,
  };
}
