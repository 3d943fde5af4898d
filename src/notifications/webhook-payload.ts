import type { WebhookEvent } from '../queue/jobs';
import { inboxUrl } from './inbox-url';
import type { Submission } from '../submissions/submission';

/** The JSON a webhook receives. Only what an automation needs: no e-mail address, no consent record. */
export interface WebhookPayload {
  event: WebhookEvent;
  occurredAt: string;
  submission: {
    id: string;
    inboxUrl: string;
    receivedAt?: string;
    name?: string;
    topic?: string;
    durationSeconds?: number;
    review?: { state: string; episode?: string };
    /** State and detected language; the text itself is read through the admin API. */
    transcript?: { state: string; language?: string };
  };
}

export function webhookPayload(
  event: WebhookEvent,
  occurredAt: string,
  id: string,
  publicUrl: string,
  submission?: Submission,
): WebhookPayload {
  return {
    event,
    occurredAt,
    submission: {
      id,
      inboxUrl: inboxUrl(publicUrl, id),
      ...(submission && {
        receivedAt: submission.receivedAt,
        name: submission.name,
        ...(submission.topic !== undefined && { topic: submission.topic }),
        ...(submission.processing.durationSeconds !== undefined && {
          durationSeconds: submission.processing.durationSeconds,
        }),
        review: {
          state: submission.review.state,
          ...(submission.review.episode !== undefined && { episode: submission.review.episode }),
        },
        transcript: {
          state: submission.transcript.state,
          ...(submission.transcript.language && { language: submission.transcript.language }),
        },
      }),
    },
  };
}
