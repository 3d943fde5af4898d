import { AppError } from '../errors';
import type { JobQueues } from '../queue/job-queues';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

/** Queues a failed submission again (the inbox's retry button); its attempts start afresh. */
export async function retryProcessing(
  deps: { documents: SubmissionDocuments; index: SubmissionIndex; queues: JobQueues },
  id: string,
): Promise<{ id: string; processing: 'queued' }> {
  const processing = await deps.documents.readProcessing(id);
  if (!(await deps.documents.readListener(id))) throw new AppError('NOT_FOUND');
  if (processing?.state !== 'failed') throw new AppError('NOT_RETRYABLE');
  await deps.queues.requeue('transcode', { submissionId: id });
  // The worker writes the document when it starts; the list shows the wait until then.
  await deps.index.setProcessing(id, 'queued');
  return { id, processing: 'queued' };
}
