import { AppError } from '../errors';
import type { SubmissionDocuments } from '../submissions/submission-documents';
import { threadOf } from '../submissions/thread';
import type { DeliveryState } from './reply';
import type { ReplyDocuments } from './reply-documents';

/** One reply as the inbox shows it: never its link, which only the listener's mail holds. */
export interface ReplyView {
  id: string;
  createdAt: string;
  createdBy: string;
  text?: string;
  allowAnswer: boolean;
  showOriginal: boolean;
  expiresAt: string;
  revokedAt?: string;
  /** queued: not yet picked up by the worker. */
  state: DeliveryState | 'queued';
  error?: string;
  durationSeconds?: number;
  mailedAt?: string;
  answer?: { submissionId: string; at: string };
}

export interface ThreadView {
  /** The conversation's first message. */
  rootId: string;
  replies: ReplyView[];
}

/** The conversation a message belongs to, for the inbox. */
export async function threadView(
  deps: { documents: SubmissionDocuments; replies: ReplyDocuments },
  id: string,
): Promise<ThreadView> {
  const listener = await deps.documents.readListener(id);
  if (!listener) throw new AppError('NOT_FOUND');
  const rootId = listener.inReplyTo?.submissionId ?? id;
  const thread = await threadOf(deps, rootId);
  const replies = await Promise.all(
    thread.replies.map(async (reply): Promise<ReplyView> => {
      const [delivery, answer] = await Promise.all([
        deps.replies.readDelivery(rootId, reply.id),
        deps.replies.readAnswer(rootId, reply.id),
      ]);
      return {
        id: reply.id,
        createdAt: reply.createdAt,
        createdBy: reply.createdBy,
        ...(reply.text !== undefined && { text: reply.text }),
        allowAnswer: reply.allowAnswer,
        showOriginal: reply.showOriginal,
        expiresAt: reply.expiresAt,
        ...(reply.revokedAt !== undefined && { revokedAt: reply.revokedAt }),
        state: delivery?.state ?? 'queued',
        ...(delivery?.error !== undefined && { error: delivery.error }),
        ...(delivery?.audio && { durationSeconds: delivery.audio.durationSeconds }),
        ...(delivery?.mailedAt !== undefined && { mailedAt: delivery.mailedAt }),
        ...(answer && { answer }),
      };
    }),
  );
  return { rootId, replies };
}

/** Withdraws a reply's link: the page refuses it from now on, and an unsent mail stays unsent. */
export async function revokeReply(
  deps: { replies: ReplyDocuments; outbox: { drop(replyId: string): Promise<void> } },
  id: string,
  replyId: string,
): Promise<void> {
  const reply = await deps.replies.readReply(id, replyId);
  if (!reply) throw new AppError('NOT_FOUND');
  await deps.outbox.drop(replyId);
  if (reply.revokedAt) return;
  await deps.replies.writeReply({ ...reply, revokedAt: new Date().toISOString() });
}
