import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../log';
import { jobSettings, type JobName, type JobPayloads } from './jobs';

export type JobHandler<N extends JobName> = (
  job: Job<JobPayloads[N]>,
  signal: AbortSignal | undefined,
  token: string | undefined,
) => Promise<unknown>;

/** One BullMQ worker for one queue, with the concurrency of the jobs table. */
export function startWorker<N extends JobName>(
  name: N,
  deps: { config: Config; logger: Logger },
  connection: Redis,
  handler: JobHandler<N>,
): Worker {
  const { concurrency } = jobSettings(name, deps.config);
  const worker = new Worker<JobPayloads[N]>(
    name,
    async (job, token, signal) => {
      const log = deps.logger.child({ queue: name, jobId: job.id, attempt: job.attemptsMade + 1 });
      try {
        const outcome = await handler(job, signal, token);
        log.info({ outcome }, 'job finished');
        return outcome;
      } catch (error) {
        if (!(error instanceof DelayedError)) log.warn({ err: error }, 'job attempt failed');
        throw error;
      }
    },
    {
      connection,
      prefix: deps.config.REDIS_PREFIX,
      concurrency,
      autorun: true,
      // A job whose worker died is handed to another after at most one lock period.
      lockDuration: deps.config.JOB_LOCK_SECONDS * 1000,
      stalledInterval: deps.config.JOB_LOCK_SECONDS * 1000,
    },
  );
  worker.on('error', (error) => deps.logger.error({ err: error, queue: name }, 'worker error'));
  return worker;
}
