import { DelayedError, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Metrics } from '../metrics/metrics';
import { describeFailure } from '../submissions/failure-reason';
import {
  markSubmissionFailed,
  processSubmission,
  type ProcessingDeps,
} from '../submissions/process-submission';
import { startWorker } from './start-worker';

/** Runs transcode jobs; the submission is marked failed only after the last attempt. */
export function startTranscodeWorker(
  deps: ProcessingDeps & { metrics: Metrics },
  connection: Redis,
): Worker {
  return startWorker('transcode', deps, connection, async (job, signal, token) => {
    const { submissionId } = job.data;
    const attempt = job.attemptsMade + 1;
    const started = process.hrtime.bigint();
    try {
      const outcome = await processSubmission(deps, submissionId, attempt, signal);
      if (outcome === 'ready') {
        deps.metrics.processingSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      }
      if (outcome === 'busy') {
        // Another worker renders it right now: look again shortly, without using up an attempt.
        await job.moveToDelayed(Date.now() + 2000, token);
        throw new DelayedError();
      }
      return outcome;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      const final = attempt >= (job.opts.attempts ?? 1);
      deps.metrics.processingFailures.inc({ final: String(final) });
      if (final) {
        await markSubmissionFailed(deps, submissionId, attempt, describeFailure(error));
      }
      throw error;
    }
  });
}
