import { ulid } from 'ulid';
import type { ProcessSlots } from '../audio/process-slots';
import { CONTAINERS } from '../audio/sniff';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { Logger } from '../log';
import type { Mailer } from '../notifications/mailer';
import type { JobQueues } from '../queue/job-queues';
import type { BlobStore } from '../storage/blob-store';
import { keys } from '../storage/keys';
import {
  checkAudio,
  requireAudioFile,
  type UploadedAudio,
} from '../submissions/receive-submission';
import type { SubmissionDocuments } from '../submissions/submission-documents';
import type { ReplyDocument } from './reply';
import type { ReplyDocuments } from './reply-documents';
import { parseReplyFields } from './reply-fields';
import { linkSha256, newLinkToken, type LinkOutbox } from './reply-link';

export interface ReplyDeps {
  config: Config;
  store: BlobStore;
  documents: SubmissionDocuments;
  replies: ReplyDocuments;
  outbox: LinkOutbox;
  queues: JobQueues;
  inspections: ProcessSlots;
  mailer: Mailer;
  logger: Logger;
}

export interface ReplyRequest {
  submissionId: string;
  body: Record<string, unknown>;
  file: UploadedAudio | undefined;
  /** Who sends it: an account's e-mail, or "admin-token". */
  by: string;
}

/**
 * The team's voice reply to a message: checked like a listener's recording, stored under the
 * message, rendered and mailed by the worker. Only to the address the listener gave with it.
 */
export async function createReply(deps: ReplyDeps, request: ReplyRequest): Promise<ReplyDocument> {
  const listener = await deps.documents.readListener(request.submissionId);
  if (!listener) throw new AppError('NOT_FOUND');
  // A listener's answer carries the address of the thread's first message: reply there.
  if (listener.inReplyTo) throw new AppError('REPLY_NO_EMAIL');
  if (!listener.email) throw new AppError('REPLY_NO_EMAIL');
  if (!deps.mailer.canSend) throw new AppError('REPLY_MAIL_OFF');
  const fields = parseReplyFields(request.body);
  const { file, container } = requireAudioFile(request.file);
  const facts = await checkAudio(deps, file, container);

  const replyId = ulid();
  const token = newLinkToken();
  const now = new Date();
  const reply: ReplyDocument = {
    schemaVersion: 1,
    id: replyId,
    submissionId: listener.id,
    createdAt: now.toISOString(),
    createdBy: request.by,
    locale: listener.locale,
    ...(fields.text !== undefined && { text: fields.text }),
    linkSha256: linkSha256(token),
    expiresAt: new Date(now.getTime() + deps.config.REPLY_LINK_DAYS * 86400_000).toISOString(),
    allowAnswer: fields.allowAnswer,
    showOriginal: fields.showOriginal,
    original: {
      key: keys.replyOriginal(listener.id, replyId, CONTAINERS[container].extension),
      container,
      bytes: file.size,
      sha256: file.sha256,
      durationSeconds: Math.round(facts.durationSeconds * 1000) / 1000,
    },
  };
  try {
    await deps.store.moveFile(reply.original.key, file.path, CONTAINERS[container].contentType);
    await deps.replies.writeReply(reply);
    await deps.replies.writeLink(reply.linkSha256, { submissionId: listener.id, replyId });
    await deps.outbox.put(replyId, token);
    await deps.queues.add('reply', { submissionId: listener.id, replyId });
  } catch (error) {
    await eraseReplyObjects(deps, reply).catch(() => undefined);
    throw new AppError('STORAGE_UNAVAILABLE', {}, { cause: error, retryAfterSeconds: 5 });
  }
  // The message may have been erased meanwhile: nothing of the reply may outlive it.
  if (!(await deps.documents.readListener(listener.id))) {
    await eraseReplyObjects(deps, reply);
    throw new AppError('NOT_FOUND');
  }
  deps.logger.info({ submissionId: listener.id, replyId }, 'reply received');
  return reply;
}

/** Everything of one reply: its objects, its link, its waiting token and its queued job. */
export async function eraseReplyObjects(
  deps: Pick<ReplyDeps, 'replies' | 'outbox' | 'queues'>,
  reply: Pick<ReplyDocument, 'submissionId' | 'id' | 'linkSha256'>,
): Promise<number> {
  const [objects] = await Promise.all([
    deps.replies.erase(reply.submissionId, reply.id),
    deps.replies.deleteLink(reply.linkSha256),
    deps.outbox.drop(reply.id),
    deps.queues.remove('reply', { submissionId: reply.submissionId, replyId: reply.id }),
  ]);
  return objects + 1;
}
