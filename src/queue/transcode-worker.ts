import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeFailure } from '../submissions/failure-reason';
import {
  markSubmissionFailed,
  processSubmission,
  type ProcessingDeps,
} from '../submissions/process-submission';
import { startWorker } from './start-worker';

/** Runs transcode jobs; the submission is marked failed only after the last attempt. */
export function startTranscodeWorker(deps: ProcessingDeps, connection: Redis): Worker {
  return startWorker('transcode', deps, connection, async (job, signal) => {
    const { submissionId } = job.data;
    const attempt = job.attemptsMade + 1;
    try {
      return await processSubmission(deps, submissionId, attempt, signal);
    } catch (error) {
      if (attempt >= (job.opts.attempts ?? 1)) {
        await markSubmissionFailed(deps, submissionId, attempt, describeFailure(error));
      }
      throw error;
    }
  });
}
