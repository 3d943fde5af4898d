import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { announce, queueReadyMail, type AnnounceDeps } from '../notifications/announce';
import type { BlobStore } from '../storage/blob-store';
import { downloadToFile } from '../storage/download-to-file';
import type { SubmissionDocuments } from '../submissions/submission-documents';
import type { SubmissionIndex } from '../submissions/submission-index';
import { findModelFile } from './model-file';
import { EngineError, runEngine } from './run-engine';
import { detectedLanguage, shapeSegments } from './shape-transcript';
import { writeSpeechPcm } from './speech-pcm';
import { transcriptView, type TranscriptDocument } from './transcript';

export interface TranscribeDeps extends AnnounceDeps {
  config: Config;
  store: BlobStore;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  logger: Logger;
  tempDir: string;
  /** The engine process's script (see run-engine.ts). */
  engineScript: string;
}

export type TranscribeOutcome = 'ready' | 'gone' | 'already-done' | 'unavailable';

/** Queues the transcription of a rendered message, where transcripts are on. */
export async function queueTranscription(deps: TranscribeDeps | AnnounceDeps, id: string) {
  if (deps.config.TRANSCRIBE === 'on') await deps.queues.add('transcribe', { submissionId: id });
}

/** A message is rendered again right now: its transcript waits for the new clip. */
export class ClipNotReadyError extends Error {
  constructor() {
    super('the clip is being rendered; the transcript follows it');
    this.name = 'ClipNotReadyError';
  }
}

async function write(deps: TranscribeDeps, id: string, doc: TranscriptDocument): Promise<void> {
  await deps.documents.writeTranscript(id, doc);
  const edit = await deps.documents.readTranscriptEdit(id);
  await deps.index.setTranscript(id, transcriptView(true, doc, edit));
}

/**
 * Transcribes a message's rendered clip. Safe to run twice: a finished transcript is kept, and a
 * message erased meanwhile leaves nothing behind. Only the transcript's own document is written;
 * the message stays ready whatever happens here.
 */
export async function transcribeSubmission(
  deps: TranscribeDeps,
  id: string,
  attempt: number,
  signal?: AbortSignal,
  again = false,
): Promise<TranscribeOutcome> {
  const [listener, processing, existing] = await Promise.all([
    deps.documents.readListener(id),
    deps.documents.readProcessing(id),
    deps.documents.readTranscript(id),
  ]);
  if (!listener) return 'gone';
  if (existing?.state === 'ready' && !again) {
    await queueReadyMail(deps, id);
    return 'already-done';
  }
  const clip = processing?.state === 'ready' ? processing.result : undefined;
  if (!clip) throw new ClipNotReadyError();
  const now = () => new Date().toISOString();

  const model = await findModelFile(deps.config);
  const unavailable = async (reason: 'no-model' | 'no-engine') => {
    await write(deps, id, { state: 'unavailable', reason, attempt, updatedAt: now() });
    await queueReadyMail(deps, id);
    return 'unavailable' as const;
  };
  if (!model) return unavailable('no-model');

  await write(deps, id, { state: 'transcribing', attempt, updatedAt: now() });
  const workDir = await mkdtemp(path.join(deps.tempDir, `transcribe-${id}-`));
  try {
    const wavPath = path.join(workDir, 'clip.wav');
    const pcmPath = path.join(workDir, 'speech.f32');
    await downloadToFile(deps.store, clip.wavKey, wavPath);
    const ffmpegTimeoutMs = deps.config.FFMPEG_TIMEOUT_SECONDS * 1000;
    await writeSpeechPcm(deps.config.FFMPEG_PATH, wavPath, pcmPath, {
      timeoutMs: ffmpegTimeoutMs,
      ...(signal && { signal }),
    });
    const duration = clip.durationSeconds;
    const timeoutMs = (deps.config.TRANSCRIBE_TIMEOUT_SECONDS + 10 * duration) * 1000;
    const started = performance.now();
    let run;
    try {
      run = await runEngine(
        deps.engineScript,
        {
          modelFile: model.file,
          pcmFile: pcmPath,
          language: deps.config.TRANSCRIBE_LANGUAGE,
          threads: deps.config.TRANSCRIBE_THREADS,
        },
        { timeoutMs, ...(signal && { signal }) },
      );
    } catch (error) {
      if (error instanceof EngineError && error.code === 'NO_ENGINE') {
        deps.logger.warn({ submissionId: id, err: error }, 'speech engine not installed');
        return await unavailable('no-engine');
      }
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    const segments = shapeSegments(run.segments, duration);
    const language = detectedLanguage(run.segments, deps.config.TRANSCRIBE_LANGUAGE);
    await write(deps, id, {
      state: 'ready',
      attempt,
      updatedAt: now(),
      renderedAt: processing?.updatedAt ?? '',
      model: { name: model.name, bytes: model.bytes },
      result: {
        language,
        text: segments.map((s) => s.text).join(' '),
        segments,
        durationSeconds: duration,
        seconds: Math.round(seconds * 100) / 100,
        realTimeFactor: Math.round((seconds / Math.max(duration, 0.1)) * 1000) / 1000,
      },
    });
    // Lengths and times only: the words are the listener's and stay out of the log.
    deps.logger.info(
      { submissionId: id, language, segments: segments.length, seconds, model: model.name },
      'transcript ready',
    );
    // Checked after our last write, so no transcript outlives an erasure that ran meanwhile.
    if (!(await deps.documents.readListener(id))) {
      await deps.documents.erase(id);
      return 'gone';
    }
    await announce(deps, 'submission.transcribed', id);
    await queueReadyMail(deps, id);
    return 'ready';
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** After the last attempt: only the transcript is failed, with a reason a person can read. */
export async function markTranscriptFailed(
  deps: TranscribeDeps,
  id: string,
  attempt: number,
  reason: string,
): Promise<void> {
  if (!(await deps.documents.readListener(id))) return;
  await write(deps, id, {
    state: 'failed',
    attempt,
    updatedAt: new Date().toISOString(),
    error: reason,
  });
  await queueReadyMail(deps, id);
}
