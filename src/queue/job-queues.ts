import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config';
import { jobId, jobSettings, type JobName, type JobPayloads } from './jobs';

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

  /** Removes a waiting, delayed or finished job (used when its submission is erased); true if one was. */
  async remove<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<boolean> {
    // A running job is locked and stays: its handler finds the submission gone.
    return (await this.queue(name).remove(jobId[name](payload))) === 1;
  }

  /** Adds the job again under its id, replacing a failed or finished one with that id. */
  async requeue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    await this.remove(name, payload);
    await this.add(name, payload);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
