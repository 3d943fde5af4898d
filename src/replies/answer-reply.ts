import type { Redis } from 'ioredis';
import { ulid } from 'ulid';
import { AppError } from '../errors';
import type { Locale } from '../i18n/locale';
import {
  receiveSubmission,
  type IntakeDeps,
  type IntakeResult,
  type UploadedAudio,
} from '../submissions/receive-submission';
import type { OpenedLink } from './reply-link';
import type { ReplyDocuments } from './reply-documents';

export interface AnswerDeps extends IntakeDeps {
  replies: ReplyDocuments;
  redis: Redis;
}

export interface AnswerRequest {
  link: OpenedLink;
  /** The answer form: consent, an optional note, the page's language. */
  body: Record<string, unknown>;
  file: UploadedAudio | undefined;
  locale: Locale;
}

/**
 * The listener's one answer to a reply: a new message of the conversation, with the name, address
 * and topic of the first one, checked and rendered like any message. The answer's id is recorded
 * in the thread before the message is stored, so an erasure of the thread always finds it.
 */
export async function answerReply(deps: AnswerDeps, request: AnswerRequest): Promise<IntakeResult> {
  const { reply, submissionId, replyId } = request.link;
  if (!reply.allowAnswer) throw new AppError('ANSWER_NOT_ALLOWED');
  const root = await deps.documents.readListener(submissionId);
  if (!root) throw new AppError('REPLY_LINK_INVALID');
  const claimKey = `${deps.config.REDIS_PREFIX}:reply-answer:${replyId}`;
  // Held while one answer arrives, so two at once cannot both be taken; the answer's own record
  // says "answered" for good once it is written.
  if ((await deps.redis.set(claimKey, '1', 'EX', 600, 'NX')) !== 'OK')
    throw new AppError('ALREADY_ANSWERED');
  if (await deps.replies.readAnswer(submissionId, replyId)) {
    await deps.redis.del(claimKey);
    throw new AppError('ALREADY_ANSWERED');
  }
  const answerId = ulid();
  try {
    await deps.replies.writeAnswer(submissionId, replyId, {
      submissionId: answerId,
      at: new Date().toISOString(),
    });
    const result = await receiveSubmission(deps, {
      body: {
        ...request.body,
        name: root.name,
        ...(root.email !== undefined && { email: root.email }),
        ...(root.topic !== undefined && { topic: root.topic }),
      },
      file: request.file,
      idempotencyKey: undefined,
      locale: request.locale,
      thread: { submissionId, replyId, answerId },
    });
    // The conversation may have been erased while the answer arrived: it goes too.
    if (!(await deps.documents.readListener(submissionId))) {
      await deps.queues.remove('transcode', { submissionId: answerId });
      await deps.documents.erase(answerId);
      await deps.index.remove(answerId);
      throw new AppError('REPLY_LINK_INVALID');
    }
    return result;
  } catch (error) {
    await deps.replies.deleteAnswer(submissionId, replyId).catch(() => undefined);
    throw error;
  } finally {
    await deps.redis.del(claimKey).catch(() => undefined);
  }
}
