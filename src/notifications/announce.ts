import type { Config } from '../config';
import type { JobQueues } from '../queue/job-queues';
import type { WebhookEvent } from '../queue/jobs';

export interface AnnounceDeps {
  config: Pick<Config, 'WEBHOOK_URLS' | 'MAIL_TO' | 'MAIL_MODE' | 'SMTP_URL' | 'TRANSCRIBE'>;
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
  // With transcripts on, the mail waits for the transcript (or for its failing) to quote it.
  if (event === 'submission.ready' && config.TRANSCRIBE === 'off')
    await queueReadyMail(deps, submissionId);
}

/** The team's mail about a new message, in "each" mode; once per message (its job id). */
export async function queueReadyMail(deps: AnnounceDeps, submissionId: string): Promise<void> {
  const { config } = deps;
  const mails = config.SMTP_URL && config.MAIL_TO.length > 0 && config.MAIL_MODE === 'each';
  if (mails) await deps.queues.add('email', { submissionId });
}
