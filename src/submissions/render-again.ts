import type { JobQueues } from '../queue/job-queues';
import type { Submission } from './submission';
import type { SubmissionDocuments } from './submission-documents';
import type { SubmissionIndex } from './submission-index';

/**
 * Renders a message again after the author changed how (the noise stage on or off). The worker
 * compares the choice with the one its last render used (process-submission.ts), so a job that
 * runs twice renders once; a render under way looks at the choice again when it ends, and a
 * message still queued picks it up when its job starts.
 */
export async function renderAgain(
  deps: { documents: SubmissionDocuments; index: SubmissionIndex; queues: JobQueues },
  submission: Submission,
): Promise<Submission> {
  const rendered = await deps.documents.readProcessing(submission.id);
  if (rendered?.state !== 'ready' && rendered?.state !== 'failed') return submission;
  await deps.queues.requeue('transcode', { submissionId: submission.id });
  await deps.index.setProcessing(submission.id, 'queued');
  return { ...submission, processing: { ...submission.processing, state: 'queued' } };
}
