import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeFailure } from '../submissions/failure-reason';
import {
  markTranscriptFailed,
  transcribeSubmission,
  type TranscribeDeps,
} from '../transcripts/transcribe-submission';
import { startWorker } from './start-worker';

/** Runs transcribe jobs; after the last attempt only the transcript is marked failed. */
export function startTranscribeWorker(deps: TranscribeDeps, connection: Redis): Worker {
  return startWorker('transcribe', deps, connection, async (job, signal) => {
    const { submissionId, again = false } = job.data;
    const attempt = job.attemptsMade + 1;
    try {
      return await transcribeSubmission(deps, submissionId, attempt, signal, again);
    } catch (error) {
      // Erased while the engine ran: whatever this attempt wrote goes with it.
      if (!(await deps.documents.readListener(submissionId))) {
        await deps.documents.erase(submissionId);
        return 'gone';
      }
      if (attempt >= (job.opts.attempts ?? 1))
        await markTranscriptFailed(deps, submissionId, attempt, describeFailure(error));
      throw error;
    }
  });
}
