import type { JobsOptions } from 'bullmq';
import type { Config } from '../config';

/** Every job hallo queues: its queue name and payload. Payloads carry ids only. */
export interface JobPayloads {
  transcode: { submissionId: string };
}

export type JobName = keyof JobPayloads;

/** Deterministic job ids, so a repeated enqueue never duplicates work. */
export const jobId: { [N in JobName]: (payload: JobPayloads[N]) => string } = {
  transcode: ({ submissionId }) => `transcode-${submissionId}`,
};

/** Per-job options in one table: attempts, backoff, retention, concurrency. */
export function jobSettings(
  name: JobName,
  config: Config,
): { options: JobsOptions; concurrency: number } {
  switch (name) {
    case 'transcode':
      return {
        concurrency: config.WORKER_CONCURRENCY,
        options: {
          attempts: config.JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
          // Completed ids are kept a while so a late duplicate enqueue is ignored by BullMQ itself.
          removeOnComplete: { age: 24 * 3600, count: 10000 },
          removeOnFail: { age: 14 * 24 * 3600 },
        },
      };
  }
}
