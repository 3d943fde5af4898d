import { eraseSubmission, type ErasureDeps } from './erase-submission';
import { threadOf } from './thread';

/**
 * Erases unreviewed and rejected messages older than the retention period the consent text
 * promised. Approved and used ones stay: the team decided to keep them. A conversation is one
 * thing: it goes when its first message is due, nothing in it is kept, and nothing happened in it
 * within the period. Found through the index (ULID ids sort by time, so the old ones are a range),
 * so it reads nothing it will not erase.
 */
export async function applyRetention(
  deps: ErasureDeps,
  retentionDays: number,
  now = new Date(),
): Promise<{ erased: string[] }> {
  const cutoff = new Date(now.getTime() - retentionDays * 24 * 3600 * 1000);
  const epoch = new Date(0);
  const ids = [
    ...(await deps.index.idsReceivedBetween(epoch, cutoff, 'new')),
    ...(await deps.index.idsReceivedBetween(epoch, cutoff, 'rejected')),
  ];
  const erased: string[] = [];
  for (const id of ids) {
    if (erased.includes(id)) continue;
    // A listener's answer goes with its conversation, decided at its first message.
    const listener = await deps.documents.readListener(id);
    if (!listener || listener.inReplyTo) continue;
    const thread = await threadOf(deps, id);
    if (thread.lastActivity && thread.lastActivity > cutoff.toISOString()) continue;
    // The review may have changed since the index was read: the documents decide.
    if (!(await allDisposable(deps, [id, ...thread.answerIds]))) continue;
    const report = await eraseSubmission(deps, id);
    erased.push(id, ...(report.threadErased ?? []));
  }
  return { erased };
}

async function allDisposable(deps: ErasureDeps, ids: string[]): Promise<boolean> {
  const reviews = await Promise.all(ids.map((id) => deps.documents.readReview(id)));
  return reviews.every((r) => !r || r.state === 'new' || r.state === 'rejected');
}
