import type { Config } from '../config';
import type { JobQueues } from '../queue/job-queues';
import type { WebhookEvent } from '../queue/jobs';

export interface AnnounceDeps {
  config: Pick<Config, 'WEBHOOK_URLS' | 'MAIL_TO' | 'MAIL_MODE' | 'SMTP_URL'>;
  queues: JobQueues;
}

/**
 * Queues what an event causes: one webhook delivery per URL and, for a ready message in "each"
 * mode, a mail. Only ids go into the queue; deterministic job ids make a repeated event (a job
 * that ran twice) one delivery. The caller never waits for a receiver.
 */
export async function announce(
  deps: AnnounceDeps,
  event: WebhookEvent,
  submissionId: string,
): Promise<void> {
  const occurredAt = new Date().toISOString();
  const { config } = deps;
  await Promise.all(
    config.WEBHOOK_URLS.map((url) =>
      deps.queues.add('webhook', { event, submissionId, url, occurredAt }),
    ),
  );
  const mails = config.SMTP_URL && config.MAIL_TO.length > 0 && config.MAIL_MODE === 'each';
  if (event === 'submission.ready' && mails) await deps.queues.add('email', { submissionId });
}
