import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { AppError } from '../errors';
import { jobId, jobSettings, type JobName, type JobPayloads } from './jobs';

/** How long a retry waits for a job that is still being put away after its last attempt. */
const REQUEUE_WAIT_MS = 10_000;

/** The producer side: adds jobs with their table options and deterministic ids. */
export class JobQueues {
  private readonly queues = new Map<JobName, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly config: Config,
  ) {}

  queue(name: JobName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.config.REDIS_PREFIX });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    const id = jobId[name](payload);
    await this.queue(name).add(name, payload, {
      ...jobSettings(name, this.config).options,
      jobId: id,
    });
  }

  /** The job under the payload's id, while the queue still keeps it. */
  async job<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<Job | undefined> {
    return (await this.queue(name).getJob(jobId[name](payload))) ?? undefined;
  }

  /** Removes a waiting, delayed or finished job (used when its submission is erased); true if one was. */
  async remove<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<boolean> {
    // A running job is locked and stays: its handler finds the submission gone.
    return (await this.queue(name).remove(jobId[name](payload))) === 1;
  }

  /** Adds the job again under its id, replacing a failed or finished one with that id. */
  async requeue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    // A job's last attempt writes "failed" into the document just before the queue moves the
    // job out of active. A retry in that moment would find the job locked, add nothing under its
    // id, and leave the message queued for ever: wait for the queue to catch up.
    const id = jobId[name](payload);
    const deadline = Date.now() + REQUEUE_WAIT_MS;
    while ((await this.queue(name).getJobState(id)) === 'active') {
      if (Date.now() > deadline) throw new AppError('BUSY');
      await sleep(100);
    }
    await this.remove(name, payload);
    await this.add(name, payload);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
