import type { JobQueues } from '../queue/job-queues';
import type { Submission } from './submission';
import type { SubmissionIndex } from './submission-index';

/**
 * Renders a message again after the author changed how (the noise stage on or off). The worker
 * compares the choice with the one its last render used (process-submission.ts), so a job that
 * runs twice renders once. A message still queued or rendering picks the choice up by itself.
 */
export async function renderAgain(
  deps: { index: SubmissionIndex; queues: JobQueues },
  submission: Submission,
): Promise<Submission> {
  const { state } = submission.processing;
  if (state !== 'ready' && state !== 'failed') return submission;
  await deps.queues.requeue('transcode', { submissionId: submission.id });
  await deps.index.setProcessing(submission.id, 'queued');
  return { ...submission, processing: { ...submission.processing, state: 'queued' } };
}
