import type { Logger } from '../log';
import type { JobQueues } from '../queue/job-queues';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

/**
 * Queues again every stored submission whose processing has not reached a final state, and indexes
 * any the index lacks (covers a flushed Redis). Deterministic job ids make repeats harmless.
 */
export async function reconcileSubmissions(deps: {
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  queues: JobQueues;
  logger: Logger;
}): Promise<{ checked: number; requeued: number; reindexed: number }> {
  let checked = 0;
  let requeued = 0;
  let reindexed = 0;
  for await (const id of deps.documents.allIds()) {
    checked += 1;
    const submission = await deps.documents.read(id);
    if (!submission) continue;
    if (!(await deps.index.has(id))) {
      await deps.index.put(submission);
      reindexed += 1;
    }
    const state = submission.processing.state;
    if (state === 'queued' || state === 'processing') {
      await deps.queues.add('transcode', { submissionId: id });
      requeued += 1;
    }
  }
  if (requeued + reindexed > 0)
    deps.logger.info({ checked, requeued, reindexed }, 'reconciled submissions');
  return { checked, requeued, reindexed };
}
