import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { deliverWebhook } from '../notifications/deliver-webhook';
import { sendDigestMail, sendReadyMail } from '../notifications/send-team-mail';
import type { Services } from '../services';
import { applyRetention } from '../submissions/apply-retention';
import { describeFailure } from '../submissions/failure-reason';
import { deliverReply, markDeliveryFailed } from '../replies/deliver-reply';
import { buildSegment } from '../episodes/build-segment';
import { markDraftFailed } from '../newsletter/mark-draft-failed';
import { sendNewsletterDraft } from '../newsletter/send-draft';
import { startWorker } from './start-worker';
import { startTranscodeWorker } from './transcode-worker';
import { startTranscribeWorker } from './transcribe-worker';

/** Every queue's worker in this process: transcoding, transcripts, webhooks, mails, replies, segments, newsletter drafts, daily maintenance. */
export function startWorkers(services: Services, connection: Redis): Worker[] {
  const { config } = services;
  return [
    startTranscodeWorker(services, connection),
    startTranscribeWorker(services, connection),
    startWorker('webhook', services, connection, (job) =>
      deliverWebhook(services, job.data, job.id ?? ''),
    ),
    startWorker('email', services, connection, (job) =>
      sendReadyMail(services, job.data.submissionId),
    ),
    startWorker('reply', services, connection, async (job, signal) => {
      const { submissionId, replyId } = job.data;
      try {
        return await deliverReply(services, submissionId, replyId, signal);
      } catch (error) {
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
          await markDeliveryFailed(services, submissionId, replyId, describeFailure(error));
        throw error;
      }
    }),
    startWorker('segment', services, connection, async (job, signal) => {
      const { episode, hash } = job.data;
      try {
        return await buildSegment(services, episode, hash, (p) => job.updateProgress(p), signal);
      } catch (error) {
        // What the inbox shows as the reason: a sentence, not a stack.
        throw new Error(describeFailure(error), { cause: error });
      }
    }),
    startWorker('newsletter', services, connection, async (job) => {
      const { episode } = job.data;
      try {
        return await sendNewsletterDraft(services, episode);
      } catch (error) {
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        await markDraftFailed(services, episode, error, last);
        throw error;
      }
    }),
    startWorker('maintenance', services, connection, async (job) => {
      if (job.data.task === 'retention') {
        const { erased } = await applyRetention(services, config.RETENTION_DAYS);
        return { erased: erased.length };
      }
      const until = new Date();
      const since = new Date(until.getTime() - 24 * 3600 * 1000);
      return { mailed: await sendDigestMail(services, since, until) };
    }),
  ];
}

/**
 * The daily jobs, as BullMQ job schedulers: upserting them is idempotent, so every worker process
 * may do it at start and they still run once a day.
 */
export async function scheduleMaintenance(services: Services): Promise<void> {
  const { config } = services;
  const queue = services.queues.queue('maintenance');
  const daily = (hour: number) => ({ pattern: `0 ${hour} * * *`, tz: config.TIMEZONE });
  await queue.upsertJobScheduler('retention', daily(config.RETENTION_HOUR), {
    name: 'maintenance',
    data: { task: 'retention' },
  });
  if (services.mailer.enabled && config.MAIL_MODE === 'digest') {
    await queue.upsertJobScheduler('digest', daily(config.DIGEST_HOUR), {
      name: 'maintenance',
      data: { task: 'digest' },
    });
  } else {
    await queue.removeJobScheduler('digest');
  }
}
