import { eraseSubmission, type ErasureDeps } from './erase-submission';

/**
 * Erases unreviewed and rejected messages older than the retention period the consent text
 * promised. Approved and used ones stay: the team decided to keep them. Found through the index
 * (ULID ids sort by time, so the old ones are a range), so it reads nothing it will not erase.
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
    // The review may have changed since the index was read: the documents decide.
    const review = await deps.documents.readReview(id);
    if (review && review.state !== 'new' && review.state !== 'rejected') continue;
    await eraseSubmission(deps, id);
    erased.push(id);
  }
  return { erased };
}
