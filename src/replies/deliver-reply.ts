import { downloadToFile } from '../storage/download-to-file';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { transcodeToClips } from '../audio/transcode';
import { clipRenderOptions } from '../submissions/clip-render-options';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Mailer } from '../notifications/mailer';
import type { BlobStore } from '../storage/blob-store';
import { keys } from '../storage/keys';
import type { SubmissionDocuments } from '../submissions/submission-documents';
import type { ReplyDelivery, ReplyDocument } from './reply';
import type { ReplyDocuments } from './reply-documents';
import { replyPageUrl, type LinkOutbox } from './reply-link';
import { replyMail } from './reply-mail';

export interface DeliveryDeps {
  config: Config;
  store: BlobStore;
  documents: SubmissionDocuments;
  replies: ReplyDocuments;
  outbox: LinkOutbox;
  mailer: Mailer;
  logger: Logger;
  tempDir: string;
}

export type DeliveryOutcome = 'sent' | 'gone' | 'already-sent';

/**
 * Renders the reply (levelled MP3, the same render as a listener's clip) and mails the listener
 * its link. Each step is recorded, so a retry redoes only what has not happened.
 */
export async function deliverReply(
  deps: DeliveryDeps,
  submissionId: string,
  replyId: string,
  signal?: AbortSignal,
): Promise<DeliveryOutcome> {
  const [listener, reply, current] = await Promise.all([
    deps.documents.readListener(submissionId),
    deps.replies.readReply(submissionId, replyId),
    deps.replies.readDelivery(submissionId, replyId),
  ]);
  if (!listener?.email || !reply) return 'gone';
  if (current?.state === 'sent') return 'already-sent';
  let delivery = current;
  if (!delivery?.audio) {
    await write(deps, reply, { state: 'rendering', updatedAt: new Date().toISOString() });
    const audio = await render(deps, reply, signal);
    delivery = { state: 'sending', updatedAt: new Date().toISOString(), audio };
    await write(deps, reply, delivery);
  }
  if (await erasedMeanwhile(deps, reply)) return 'gone';
  const token = await deps.outbox.take(replyId);
  // Without its token no link can be mailed: the team sends the reply again for a new one.
  if (token === undefined)
    throw new Error('the link waited too long to be mailed; send the reply again');
  await deps.mailer.sendTo(
    listener.email,
    replyMail({
      locale: reply.locale,
      podcastName: deps.config.PODCAST_NAME,
      listenerName: listener.name,
      sentAt: new Date(listener.receivedAt),
      expiresAt: new Date(reply.expiresAt),
      link: replyPageUrl(deps.config.PUBLIC_URL, token),
      timeZone: deps.config.TIMEZONE,
    }),
  );
  await deps.outbox.drop(replyId);
  const mailedAt = new Date().toISOString();
  await write(deps, reply, { ...delivery, state: 'sent', updatedAt: mailedAt, mailedAt });
  if (await erasedMeanwhile(deps, reply)) return 'gone';
  deps.logger.info({ submissionId, replyId }, 'reply mailed');
  return 'sent';
}

/** Erased while we worked: what we wrote since must not outlive the erasure. */
async function erasedMeanwhile(deps: DeliveryDeps, reply: ReplyDocument): Promise<boolean> {
  const [listener, still] = await Promise.all([
    deps.documents.readListener(reply.submissionId),
    deps.replies.readReply(reply.submissionId, reply.id),
  ]);
  if (listener && still && !still.revokedAt) return false;
  if (!listener || !still) await deps.replies.erase(reply.submissionId, reply.id);
  return true;
}

/** Records the final failure where the team sees it. */
export async function markDeliveryFailed(
  deps: DeliveryDeps,
  submissionId: string,
  replyId: string,
  reason: string,
): Promise<void> {
  const reply = await deps.replies.readReply(submissionId, replyId);
  if (!reply) return;
  const current = await deps.replies.readDelivery(submissionId, replyId);
  await write(deps, reply, {
    ...current,
    state: 'failed',
    updatedAt: new Date().toISOString(),
    error: reason,
  });
}

async function write(deps: DeliveryDeps, reply: ReplyDocument, doc: ReplyDelivery) {
  await deps.replies.writeDelivery(reply.submissionId, reply.id, doc);
}

async function render(
  deps: DeliveryDeps,
  reply: ReplyDocument,
  signal: AbortSignal | undefined,
): Promise<NonNullable<ReplyDelivery['audio']>> {
  const workDir = await mkdtemp(path.join(deps.tempDir, `reply-${reply.id}-`));
  try {
    const inputPath = path.join(workDir, `original.${reply.original.container}`);
    await downloadToFile(deps.store, reply.original.key, inputPath);
    const clips = await transcodeToClips(
      inputPath,
      reply.original.container,
      workDir,
      clipRenderOptions(deps.config, 'auto', signal),
    );
    const key = keys.replyAudio(reply.submissionId, reply.id);
    await deps.store.moveFile(key, clips.mp3Path, 'audio/mpeg');
    return {
      key,
      durationSeconds: clips.durationSeconds,
      integratedLufs: clips.mp3.integratedLufs,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
