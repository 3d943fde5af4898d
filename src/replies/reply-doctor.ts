import type { JobQueues } from '../queue/job-queues';
import { jobId, LIVE_JOB_STATES } from '../queue/jobs';
import type { BlobStore } from '../storage/blob-store';
import { keys, REPLY_LINKS_PREFIX } from '../storage/keys';
import type { ReplyDocuments } from './reply-documents';

export interface ReplyDoctorReport {
  /** Private links whose reply is gone (a crash between erasing a reply and its link). */
  orphanReplyLinks: string[];
  /** Replies neither mailed nor failed, with no job for them: "<message id>/<reply id>". */
  stuckReplies: string[];
}

export interface ReplyDoctorDeps {
  store: BlobStore;
  replies: ReplyDocuments;
  queues: JobQueues;
}

const HASH_OF_LINK_KEY = /^reply-links\/([0-9a-f]{64})\.json$/;

/** The replies' part of `hallo doctor`, given the messages storage holds. */
export async function checkReplies(
  deps: ReplyDoctorDeps,
  submissionIds: ReadonlySet<string>,
  fix: boolean,
): Promise<ReplyDoctorReport> {
  const orphanLinks: { hash: string; label: string }[] = [];
  for await (const key of deps.store.list(REPLY_LINKS_PREFIX)) {
    const hash = HASH_OF_LINK_KEY.exec(key)?.[1];
    if (!hash) continue;
    const record = await deps.replies.readLink(hash);
    if (!record) continue; // deleted while we listed
    const reply = await deps.replies.readReply(record.submissionId, record.replyId);
    // A message without its listener document is an orphan the doctor deletes: its links go too.
    // Named by the reply it pointed to: the hash is not printed.
    if (reply?.linkSha256 !== hash || !submissionIds.has(record.submissionId))
      orphanLinks.push({ hash, label: `${record.submissionId}/${record.replyId}` });
  }
  const stuck: { submissionId: string; replyId: string }[] = [];
  const replyQueue = deps.queues.queue('reply');
  for (const submissionId of submissionIds) {
    for (const reply of await deps.replies.list(submissionId)) {
      if (reply.revokedAt) continue;
      const delivery = await deps.replies.readDelivery(submissionId, reply.id);
      if (delivery?.state === 'sent' || delivery?.state === 'failed') continue;
      const job = await replyQueue.getJob(jobId.reply({ submissionId, replyId: reply.id }));
      const state = job ? await job.getState() : 'missing';
      if (!LIVE_JOB_STATES.includes(state)) stuck.push({ submissionId, replyId: reply.id });
    }
  }
  if (fix) {
    for (const { hash } of orphanLinks) await deps.store.delete(keys.replyLink(hash));
    // Queued again, it renders and mails if its link still waits; otherwise it fails visibly.
    for (const payload of stuck) await deps.queues.requeue('reply', payload);
  }
  return {
    orphanReplyLinks: orphanLinks.map((l) => l.label).sort(),
    stuckReplies: stuck.map((s) => `${s.submissionId}/${s.replyId}`),
  };
}
