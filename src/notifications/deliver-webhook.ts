import type { JobPayloads } from '../queue/jobs';
import type { SubmissionDocuments } from '../submissions/submission-documents';
import { webhookPayload } from './webhook-payload';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';

export interface WebhookDeps {
  config: { WEBHOOK_SECRET?: string | undefined; PUBLIC_URL: string };
  documents: SubmissionDocuments;
}

export class WebhookRejectedError extends Error {}

/**
 * POSTs one event to one URL. Any answer but 2xx (or no answer within 10 s) throws, and the queue
 * tries again with backoff. A ready or approved submission erased meanwhile is not announced.
 */
export async function deliverWebhook(
  deps: WebhookDeps,
  job: JobPayloads['webhook'],
  deliveryId: string,
): Promise<'delivered' | 'gone'> {
  const secret = deps.config.WEBHOOK_SECRET;
  if (!secret) throw new Error('WEBHOOK_SECRET is not set');
  const submission =
    job.event === 'submission.deleted' ? undefined : await deps.documents.read(job.submissionId);
  if (job.event !== 'submission.deleted' && !submission) return 'gone';
  const body = JSON.stringify(
    webhookPayload(job.event, job.occurredAt, job.submissionId, deps.config.PUBLIC_URL, submission),
  );
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(job.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'hallo-webhooks',
      'X-Hallo-Event': job.event,
      'X-Hallo-Delivery': deliveryId,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
    },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  if (!response.ok) throw new WebhookRejectedError(`${job.url} answered ${response.status}`);
  return 'delivered';
}
