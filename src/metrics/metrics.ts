import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { UploadTraffic } from '../http/limits/upload-traffic';
import type { JobQueues } from '../queue/job-queues';
import { JOB_NAMES, type JobName } from '../queue/jobs';

const QUEUES: readonly JobName[] = JOB_NAMES;

/**
 * hallo's Prometheus metrics, one registry per process. Queue depth and the age of the oldest
 * waiting job are read from Redis when scraped, so any process reports the shared queues.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly uploads = new Counter({
    name: 'hallo_uploads_total',
    help: 'Upload requests by outcome: accepted, or the refusal code',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly uploadBytes = new Counter({
    name: 'hallo_upload_bytes_total',
    help: 'Bytes of accepted uploads',
    registers: [this.registry],
  });

  readonly processingSeconds = new Histogram({
    name: 'hallo_processing_seconds',
    help: 'Time from job start to ready, per processed submission',
    buckets: [0.5, 1, 2, 5, 10, 20, 60, 120],
    registers: [this.registry],
  });

  readonly processingFailures = new Counter({
    name: 'hallo_processing_failures_total',
    help: 'Failed processing attempts, and final failures',
    labelNames: ['final'] as const,
    registers: [this.registry],
  });

  readonly httpSeconds = new Histogram({
    name: 'hallo_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly slowUploadCuts = new Counter({
    name: 'hallo_upload_slow_cuts_total',
    help: 'Uploads cut because they arrived below UPLOAD_MIN_BYTES_PER_SECOND',
    registers: [this.registry],
  });

  readonly earlyRefusalBytes = new Histogram({
    name: 'hallo_upload_early_refusal_bytes',
    help: 'Bytes of a request read before its audio was refused (too long, not audio) mid-upload',
    labelNames: ['code'] as const,
    buckets: [64e3, 256e3, 1e6, 4e6, 16e6, 64e6],
    registers: [this.registry],
  });

  constructor(queues?: JobQueues, traffic?: Pick<UploadTraffic, 'size'>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hallo_' });
    // The worst stall between two scrapes: one request that holds the loop shows here even
    // when the default metrics' mean and percentiles smooth it away.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    new Gauge({
      name: 'hallo_event_loop_lag_seconds',
      help: 'Longest event-loop delay since the previous scrape',
      registers: [this.registry],
      collect() {
        this.set(loop.count > 0 ? loop.max / 1e9 : 0);
        loop.reset();
      },
    });
    if (traffic) {
      new Gauge({
        name: 'hallo_uploads_in_flight',
        help: 'Uploads this process is receiving now',
        registers: [this.registry],
        collect() {
          this.set(traffic.size);
        },
      });
    }
    if (!queues) return;
    new Gauge({
      name: 'hallo_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        for (const name of QUEUES) {
          const counts = await queues
            .queue(name)
            .getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, count] of Object.entries(counts))
            this.set({ queue: name, state }, count);
        }
      },
    });
    new Gauge({
      name: 'hallo_queue_oldest_waiting_seconds',
      help: 'Age of the oldest waiting job per queue (0 when none waits)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        for (const name of QUEUES) {
          const [oldest] = await queues.queue(name).getJobs(['waiting'], 0, 0, true);
          this.set({ queue: name }, oldest ? (Date.now() - oldest.timestamp) / 1000 : 0);
        }
      },
    });
  }
}
