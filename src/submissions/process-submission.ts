import { downloadToFile } from '../storage/download-to-file';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { peaksPreview } from '../audio/peaks';
import { transcodeToClips } from '../audio/transcode';
import { clipRenderOptions } from './clip-render-options';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { tryRenewedLock } from '../redis/key-lock';
import { announce, type AnnounceDeps } from '../notifications/announce';
import { queueTranscription } from '../transcripts/transcribe-submission';
import type { Logger } from '../log';
import type { BlobStore } from '../storage/blob-store';
import { keys } from '../storage/keys';
import type { ProcessingDocument } from './submission';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

export interface ProcessingDeps extends AnnounceDeps {
  config: Config;
  redis: Redis;
  store: BlobStore;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  logger: Logger;
  /** Where the worker unpacks originals and renders clips; every job cleans its own folder. */
  tempDir: string;
}

/** 'busy': another worker is processing it right now (the same job delivered twice). */
export type ProcessingOutcome = 'ready' | 'gone' | 'already-done' | 'busy';

async function writeState(
  deps: ProcessingDeps,
  id: string,
  doc: ProcessingDocument,
): Promise<void> {
  await deps.documents.writeProcessing(id, doc);
  // Logged at the moment the document says ready, so the line counts transitions exactly.
  if (doc.state === 'ready') {
    const { durationSeconds, output } = doc.result ?? {};
    deps.logger.info(
      { submissionId: id, durationSeconds, outputLufs: output?.integratedLufs },
      'submission ready',
    );
  }
  await deps.index.setProcessing(id, doc.state, doc.result);
}

/**
 * Turns a submission's original into podcast-ready clips. Safe to run twice: a gone or finished
 * submission is left alone, and outputs always land under the same keys.
 */
export async function processSubmission(
  deps: ProcessingDeps,
  id: string,
  attempt: number,
  signal?: AbortSignal,
): Promise<ProcessingOutcome> {
  // One render per submission at a time, on any worker: the lock is renewed while we work and
  // lapses within JOB_LOCK_SECONDS if this process dies.
  const lockKey = `${deps.config.REDIS_PREFIX}:lock:process:${id}`;
  const lock = await tryRenewedLock(deps.redis, lockKey, deps.config.JOB_LOCK_SECONDS * 1000);
  if (!lock) return 'busy';
  try {
    let outcome = await processLocked(deps, id, attempt, signal);
    // The author may have switched the noise stage while this render ran: render again now.
    for (
      let again = 0;
      outcome === 'ready' && again < 2 && (await choiceChanged(deps, id));
      again++
    )
      outcome = await processLocked(deps, id, attempt, signal);
    return outcome;
  } finally {
    await lock.release();
  }
}

/** Whether the last render used another noise choice than the one the review now holds. */
async function choiceChanged(deps: ProcessingDeps, id: string): Promise<boolean> {
  const [processing, review] = await Promise.all([
    deps.documents.readProcessing(id),
    deps.documents.readReview(id),
  ]);
  return (processing?.result?.noise?.choice ?? 'auto') !== (review?.noise ?? 'auto');
}

async function processLocked(
  deps: ProcessingDeps,
  id: string,
  attempt: number,
  signal?: AbortSignal,
): Promise<ProcessingOutcome> {
  const listener = await deps.documents.readListener(id);
  if (!listener) return 'gone';
  const [current, review] = await Promise.all([
    deps.documents.readProcessing(id),
    deps.documents.readReview(id),
  ]);
  const noise = review?.noise ?? 'auto';
  // Rendered already, the way the author wants it now.
  if (current?.state === 'ready' && (current.result?.noise?.choice ?? 'auto') === noise) {
    // A repeat of a job that got this far: make sure what follows was queued (idempotent).
    await announce(deps, 'submission.ready', id);
    await queueTranscription(deps, id);
    return 'already-done';
  }

  await writeState(deps, id, { state: 'processing', attempt, updatedAt: new Date().toISOString() });
  const workDir = await mkdtemp(path.join(deps.tempDir, `job-${id}-`));
  try {
    const inputPath = path.join(workDir, `original.${listener.original.container}`);
    await downloadToFile(deps.store, listener.original.key, inputPath);
    const clips = await transcodeToClips(
      inputPath,
      listener.original.container,
      workDir,
      clipRenderOptions(deps.config, noise, signal),
    );
    const wavKey = keys.clip(id, 'wav');
    const mp3Key = keys.clip(id, 'mp3');
    const peaksKey = keys.peaks(id);
    await deps.store.moveFile(wavKey, clips.wavPath, 'audio/wav');
    await deps.store.moveFile(mp3Key, clips.mp3Path, 'audio/mpeg');
    await deps.store.putBytes(peaksKey, JSON.stringify(clips.peaks), 'application/json');
    // Once the document says ready, nothing of this job is left in temp (the finally is a no-op).
    await rm(workDir, { recursive: true, force: true });

    await writeState(deps, id, {
      state: 'ready',
      attempt,
      updatedAt: new Date().toISOString(),
      result: {
        durationSeconds: clips.durationSeconds,
        trimmedStartSeconds: clips.trimmedStartSeconds,
        trimmedEndSeconds: clips.trimmedEndSeconds,
        channelMode: clips.channelMode,
        voiceFound: clips.voiceFound,
        leveling: clips.leveling,
        noise: clips.noise,
        gainDb: clips.gainDb,
        input: clips.input,
        output: clips.output,
        mp3Output: {
          integratedLufs: clips.mp3.integratedLufs,
          truePeakDbtp: clips.mp3.truePeakDbtp,
        },
        wavKey,
        mp3Key,
        peaksKey,
        peaksPreview: peaksPreview(clips.peaks),
      },
    });
    // An erasure may have run while we rendered: checked after our last write, so that no output
    // of ours can outlive it.
    if (!(await deps.documents.readListener(id))) {
      await deps.documents.erase(id);
      return 'gone';
    }
    await announce(deps, 'submission.ready', id);
    await queueTranscription(deps, id);
    return 'ready';
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Records a final failure with a reason a person can read. */
export async function markSubmissionFailed(
  deps: ProcessingDeps,
  id: string,
  attempt: number,
  reason: string,
): Promise<void> {
  if (!(await deps.documents.readListener(id))) return;
  await writeState(deps, id, {
    state: 'failed',
    attempt,
    updatedAt: new Date().toISOString(),
    error: reason,
  });
}
