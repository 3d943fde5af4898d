import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Config } from '../config';
import { episodeKey } from '../storage/keys';

export const WEBHOOK_EVENTS = [
  'submission.ready',
  'submission.approved',
  'submission.deleted',
  'submission.transcribed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Every job hallo queues: its queue name and payload. Payloads carry ids, never documents. */
export interface JobPayloads {
  transcode: { submissionId: string };
  /** Transcribe the rendered clip on this machine; `again` replaces a finished transcript. */
  transcribe: { submissionId: string; again?: boolean };
  webhook: { event: WebhookEvent; submissionId: string; url: string; occurredAt: string };
  email: { submissionId: string };
  maintenance: { task: 'retention' | 'digest' };
  /** Render the team's voice reply, then mail the listener its link. */
  reply: { submissionId: string; replyId: string };
  /** Join an episode's clips into its voice segment; the hash names the selection. */
  segment: { episode: string; hash: string };
  /** Send the episode's clips to its Ghost newsletter draft. */
  newsletter: { episode: string };
}

export type JobName = keyof JobPayloads;

/** The states of a job that will still run (or runs now): anything else needs queueing again. */
export const LIVE_JOB_STATES: readonly string[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
];

export const JOB_NAMES: readonly JobName[] = [
  'transcode',
  'transcribe',
  'webhook',
  'email',
  'maintenance',
  'reply',
  'segment',
  'newsletter',
];

const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/**
 * Deterministic job ids, so a repeated enqueue never duplicates work: the same event for the same
 * submission is one delivery per URL, however often the worker that raised it ran.
 */
export const jobId: { [N in JobName]: (payload: JobPayloads[N]) => string } = {
  transcode: ({ submissionId }) => `transcode-${submissionId}`,
  transcribe: ({ submissionId }) => `transcribe-${submissionId}`,
  webhook: ({ event, submissionId, url }) =>
    `webhook-${event.replace('.', '-')}-${submissionId}-${short(url)}`,
  email: ({ submissionId }) => `email-ready-${submissionId}`,
  maintenance: ({ task }) => `maintenance-${task}-${Date.now()}`,
  reply: ({ replyId }) => `reply-${replyId}`,
  segment: ({ episode, hash }) => `segment-${episodeKey(episode)}-${hash}`,
  newsletter: ({ episode }) => `newsletter-${episodeKey(episode)}`,
};

/** Per-job options in one table: attempts, backoff, retention, concurrency. */
export function jobSettings(
  name: JobName,
  config: Config,
): { options: JobsOptions; concurrency: number } {
  // Finished ids are kept a day, so a late duplicate enqueue is ignored by BullMQ itself.
  const keep = { removeOnComplete: { age: 24 * 3600, count: 10000 } };
  switch (name) {
    case 'transcode':
      return {
        concurrency: config.WORKER_CONCURRENCY,
        options: {
          attempts: config.JOB_ATTEMPTS,
          backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
          ...keep,
          removeOnFail: { age: 14 * 24 * 3600 },
        },
      };
    // Its own queue and concurrency, so a long transcription never holds up a render. The engine
    // runs in a child process; the job's lock is renewed from this process meanwhile.
    case 'transcribe':
      return {
        concurrency: config.TRANSCRIBE_CONCURRENCY,
        options: {
          attempts: 3,
          backoff: { type: 'exponential', delay: Math.max(1, config.JOB_BACKOFF_MS) },
          ...keep,
          removeOnFail: { age: 14 * 24 * 3600 },
        },
      };
    // A receiver or mail server that is down for a while still gets it: webhooks have 8 tries
    // over about 10 minutes, mails 6.
    case 'webhook':
    case 'email':
      return {
        concurrency: name === 'webhook' ? 4 : 2,
        options: {
          attempts: name === 'webhook' ? 8 : 6,
          backoff: { type: 'exponential', delay: Math.max(1, config.JOB_BACKOFF_MS) },
          ...keep,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      };
    case 'reply':
      return {
        concurrency: 1,
        options: {
          attempts: 6,
          backoff: { type: 'exponential', delay: Math.max(1, config.JOB_BACKOFF_MS) },
          ...keep,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      };
    // Joining copies bytes and runs no encoder; one at a time keeps the disk for the clips' renders.
    case 'segment':
      return {
        concurrency: 1,
        options: {
          attempts: 3,
          backoff: { type: 'exponential', delay: Math.max(1, config.JOB_BACKOFF_MS) },
          removeOnComplete: { age: 3600, count: 1000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      };
    // One send per episode at a time; a finished one is removed at once so the next send can
    // use the same id. Ghost down for a while or rate limiting: five tries, growing pauses.
    case 'newsletter':
      return {
        concurrency: 1,
        options: {
          attempts: 5,
          backoff: { type: 'exponential', delay: Math.max(1, config.JOB_BACKOFF_MS * 10) },
          removeOnComplete: true,
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      };
    case 'maintenance':
      return {
        concurrency: 1,
        options: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, ...keep },
      };
  }
}
