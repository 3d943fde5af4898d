import type { ProcessSlots } from '../../audio/process-slots';
import type { JobQueues } from '../../queue/job-queues';

/**
 * The global ceiling: intake refuses new uploads for a while (503 with Retry-After, which the
 * recorder waits out while the recording stays in the browser) instead of accepting work it
 * cannot check soon or the workers cannot finish.
 */
export interface IntakeLoadRules {
  /** Upload checks waiting for a decoder slot in this process; 0 turns this bound off. */
  maxWaitingInspections: number;
  /** Transcode jobs waiting in the shared queue; 0 turns this bound off. */
  maxQueuedJobs: number;
}

/** Reading the queue's depth costs a Redis round trip: it is read at most this often. */
const QUEUE_DEPTH_CACHE_MS = 2_000;
export const BUSY_INSPECTING_RETRY_SECONDS = 10;
export const BUSY_QUEUE_RETRY_SECONDS = 20;

export class IntakeLoad {
  private depth = { value: 0, at: -Infinity };

  constructor(
    private readonly rules: IntakeLoadRules,
    private readonly inspections: ProcessSlots,
    private readonly queues: JobQueues,
  ) {}

  /** undefined when there is room; otherwise how long the client should wait. */
  async retryAfterSeconds(): Promise<number | undefined> {
    const { maxWaitingInspections, maxQueuedJobs } = this.rules;
    if (maxWaitingInspections > 0 && this.inspections.waiting >= maxWaitingInspections)
      return BUSY_INSPECTING_RETRY_SECONDS;
    if (maxQueuedJobs > 0 && (await this.queuedJobs()) >= maxQueuedJobs)
      return BUSY_QUEUE_RETRY_SECONDS;
    return undefined;
  }

  private async queuedJobs(): Promise<number> {
    if (Date.now() - this.depth.at > QUEUE_DEPTH_CACHE_MS) {
      // Redis unreachable: no ceiling here; the intake itself then answers SERVICE_UNAVAILABLE.
      const value = await this.queues
        .queue('transcode')
        .getWaitingCount()
        .catch(() => 0);
      this.depth = { value, at: Date.now() };
    }
    return this.depth.value;
  }
}
