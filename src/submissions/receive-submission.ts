import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { StreamVerdict } from '../audio/inspect-stream';
import type { ProcessSlots } from '../audio/process-slots';
import { CONTAINERS, sniffContainer, type AudioContainer } from '../audio/sniff';
import { isTooLong } from '../audio/upload-facts';
import type { SameAudioLimit } from './same-audio-limit';
import type { Config } from '../config';
import { AppError, isAppError } from '../errors';
import type { Locale } from '../i18n/locale';
import type { ThreadLink } from '../replies/reply';
import type { Logger } from '../log';
import type { JobQueues } from '../queue/job-queues';
import { keys } from '../storage/keys';
import type { BlobStore } from '../storage/blob-store';
import {
  CONSENT_VERSION,
  consentSettings,
  consentTextSha256,
  newsletterConsentTextSha256,
} from './consent-text';
import type { IdempotencyKeys } from './idempotency';
import { parseListenerFields, type ListenerFields } from './listener-fields';
import type { ListenerDocument } from './submission';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';
import { uploadFacts } from './upload-check';

/** The uploaded file as the upload middleware left it in the temp dir. */
export interface UploadedAudio {
  path: string;
  size: number;
  sha256: string;
  /** The first bytes, for sniffing the container. */
  head: Buffer;
  /** The check's verdict where the audio was inspected while it arrived. */
  verdict?: StreamVerdict;
}

export interface IntakeDeps {
  config: Config;
  store: BlobStore;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  idempotency: IdempotencyKeys;
  queues: JobQueues;
  /** Bounds how many upload checks decode at once. */
  inspections: ProcessSlots;
  sameAudio: SameAudioLimit;
  logger: Logger;
}

export interface IntakeRequest {
  body: Record<string, unknown>;
  file: UploadedAudio | undefined;
  idempotencyKey: string | undefined;
  /** The request's language, used when the form names none. */
  locale: Locale;
  /** A listener's answer to a reply: the thread it joins, and the id the thread has already recorded for it. */
  thread?: ThreadLink & { answerId: string };
}

export interface IntakeResult {
  id: string;
  replayed: boolean;
}

function fingerprintOf(fields: ListenerFields, file: UploadedAudio): string {
  return createHash('sha256')
    .update(JSON.stringify([file.sha256, fields]))
    .digest('hex');
}

/** The upload's one audio file, its container known from its first bytes; else the refusal. */
export function requireAudioFile(file: UploadedAudio | undefined): {
  file: UploadedAudio;
  container: AudioContainer;
} {
  if (!file) throw new AppError('FILE_REQUIRED');
  if (file.size === 0) throw new AppError('FILE_EMPTY');
  const container = sniffContainer(file.head);
  if (!container) throw new AppError('UNSUPPORTED_AUDIO_FORMAT');
  return { file, container };
}

/** The intake's checks of any voice recording: readable, long enough, short enough, not silent. */
export async function checkAudio(
  deps: Pick<IntakeDeps, 'config' | 'inspections'>,
  file: UploadedAudio,
  container: NonNullable<ReturnType<typeof sniffContainer>>,
) {
  const { config } = deps;
  const facts = await uploadFacts(deps, file, container);
  if (facts.corrupt) throw new AppError('AUDIO_CORRUPT');
  if (isTooLong(facts.durationSeconds, config.MAX_DURATION_SECONDS)) {
    throw new AppError('AUDIO_TOO_LONG', { maxSeconds: config.MAX_DURATION_SECONDS });
  }
  if (facts.durationSeconds < config.MIN_DURATION_SECONDS) {
    throw new AppError('AUDIO_TOO_SHORT', { minSeconds: config.MIN_DURATION_SECONDS });
  }
  if (facts.peakDb < config.SILENCE_THRESHOLD_DB) throw new AppError('AUDIO_SILENT');
  return facts;
}

/**
 * Accepts one voice message: checks the form and the audio (checked while it arrived, or now),
 * then stores the original and the listener document, indexes it and queues its transcode.
 * Refusals leave nothing.
 */
export async function receiveSubmission(
  deps: IntakeDeps,
  request: IntakeRequest,
): Promise<IntakeResult> {
  const fields = parseListenerFields(request.body);
  const { file, container } = requireAudioFile(request.file);

  const id = request.thread?.answerId ?? ulid();
  const fingerprint = fingerprintOf(fields, file);
  const idempotencyKey = request.idempotencyKey;
  if (idempotencyKey) {
    const claim = await redis(() => deps.idempotency.claim(idempotencyKey, fingerprint, id));
    if (claim.kind === 'replay') return { id: claim.submissionId, replayed: true };
    if (claim.kind === 'reused') throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (claim.kind === 'in-progress')
      throw new AppError('IDEMPOTENCY_IN_PROGRESS', {}, { retryAfterSeconds: 2 });
  }

  let stored = false;
  let audioClaimed = false;
  try {
    audioClaimed = await redis(() => deps.sameAudio.claim(file.sha256));
    if (!audioClaimed) throw new AppError('DUPLICATE_AUDIO');
    const facts = await checkAudio(deps, file, container);
    const locale = fields.locale ?? request.locale;
    const now = new Date().toISOString();
    const originalKey = keys.original(id, CONTAINERS[container].extension);
    const listener: ListenerDocument = {
      schemaVersion: 1,
      id,
      receivedAt: now,
      locale,
      name: fields.name,
      ...(fields.email !== undefined && { email: fields.email }),
      ...(fields.message !== undefined && { message: fields.message }),
      ...(fields.topic !== undefined && { topic: fields.topic }),
      consent: {
        given: true,
        version: CONSENT_VERSION,
        textSha256: consentTextSha256(locale, consentSettings(deps.config)),
        locale,
        at: now,
        ...(fields.email !== undefined && { emailUse: 'reply' as const }),
        ...(fields.newsletter && {
          newsletter: {
            given: true as const,
            textSha256: newsletterConsentTextSha256(locale, consentSettings(deps.config)),
          },
        }),
      },
      ...(request.thread && {
        inReplyTo: { submissionId: request.thread.submissionId, replyId: request.thread.replyId },
      }),
      original: {
        key: originalKey,
        container,
        bytes: file.size,
        sha256: file.sha256,
        durationSeconds: Math.round(facts.durationSeconds * 1000) / 1000,
      },
    };
    stored = true;
    await storage(() =>
      deps.store.moveFile(originalKey, file.path, CONTAINERS[container].contentType),
    );
    await storage(() => deps.documents.writeListener(listener));
    const submission = await storage(() => deps.documents.read(id));
    if (!submission) throw new AppError('STORAGE_UNAVAILABLE');
    await redis(() => deps.index.put(submission));
    await redis(() => deps.queues.add('transcode', { submissionId: id }));
    if (idempotencyKey)
      await redis(() => deps.idempotency.complete(idempotencyKey, fingerprint, id));
    deps.logger.info(
      { submissionId: id, container, bytes: file.size, durationSeconds: facts.durationSeconds },
      'submission received',
    );
    return { id, replayed: false };
  } catch (error) {
    await undo(deps, id, stored, idempotencyKey, audioClaimed ? file.sha256 : undefined);
    throw error;
  }
}

/** Runs a call to a backing service; any failure of it becomes a 503 with the given code. */
async function backing<T>(
  code: 'STORAGE_UNAVAILABLE' | 'SERVICE_UNAVAILABLE',
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError(code, {}, { cause: error, retryAfterSeconds: 5 });
  }
}
const storage = <T>(operation: () => Promise<T>) => backing('STORAGE_UNAVAILABLE', operation);
const redis = <T>(operation: () => Promise<T>) => backing('SERVICE_UNAVAILABLE', operation);

async function undo(
  deps: IntakeDeps,
  id: string,
  stored: boolean,
  idempotencyKey: string | undefined,
  claimedAudio: string | undefined,
) {
  const steps: Promise<unknown>[] = [];
  if (claimedAudio) steps.push(deps.sameAudio.release(claimedAudio));
  if (stored) {
    steps.push(
      deps.documents.erase(id),
      deps.index.remove(id),
      deps.queues.remove('transcode', { submissionId: id }),
    );
  }
  if (idempotencyKey) steps.push(deps.idempotency.release(idempotencyKey, id));
  const results = await Promise.allSettled(steps);
  for (const result of results) {
    if (result.status === 'rejected') {
      deps.logger.error(
        { submissionId: id, err: result.reason },
        'could not undo a refused submission',
      );
    }
  }
}
