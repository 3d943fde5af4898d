import type { ReplyDocument } from '../replies/reply';
import type { ReplyDocuments } from '../replies/reply-documents';
import type { SubmissionDocuments } from './submission-documents';

export interface Thread {
  rootId: string;
  replies: ReplyDocument[];
  /** The listener's answers, in the order of the replies they answer. */
  answerIds: string[];
  /** When anything last happened in it: the first message, a reply or an answer. */
  lastActivity: string | undefined;
}

/** A conversation: the first message, the team's replies to it, and the listener's answers. */
export async function threadOf(
  deps: { documents: SubmissionDocuments; replies: ReplyDocuments },
  rootId: string,
): Promise<Thread> {
  const [root, replies] = await Promise.all([
    deps.documents.readListener(rootId),
    deps.replies.list(rootId),
  ]);
  const answers = await Promise.all(replies.map((r) => deps.replies.readAnswer(rootId, r.id)));
  const times = [
    root?.receivedAt,
    ...replies.map((r) => r.createdAt),
    ...answers.map((a) => a?.at),
  ].filter((t): t is string => t !== undefined);
  return {
    rootId,
    replies,
    answerIds: answers.flatMap((a) => (a ? [a.submissionId] : [])),
    lastActivity: times.sort().at(-1),
  };
}
