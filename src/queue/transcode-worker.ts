import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeFailure } from '../submissions/failure-reason';
import {
  markSubmissionFailed,
  processSubmission,
  type ProcessingDeps,
  type ProcessingOutcome,
} from '../submissions/process-submission';
import { jobSettings, type JobPayloads } from './jobs';

/** Runs transcode jobs; the submission is marked failed only after the last attempt. */
export function startTranscodeWorker(deps: ProcessingDeps, connection: Redis): Worker {
  const { concurrency } = jobSettings('transcode', deps.config);
  const worker = new Worker<JobPayloads['transcode'], ProcessingOutcome>(
    'transcode',
    async (job: Job<JobPayloads['transcode']>, _token, signal) => {
      const { submissionId } = job.data;
      const attempt = job.attemptsMade + 1;
      const log = deps.logger.child({ submissionId, jobId: job.id, attempt });
      try {
        const outcome = await processSubmission(deps, submissionId, attempt, signal);
        log.info({ outcome }, 'transcode finished');
        return outcome;
      } catch (error) {
        const lastAttempt = attempt >= (job.opts.attempts ?? 1);
        log.warn({ err: error, lastAttempt }, 'transcode attempt failed');
        if (lastAttempt)
          await markSubmissionFailed(deps, submissionId, attempt, describeFailure(error));
        throw error;
      }
    },
    { connection, prefix: deps.config.REDIS_PREFIX, concurrency, autorun: true },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'worker error'));
  return worker;
}
