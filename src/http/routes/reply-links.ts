import { rm } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors';
import { answerReply, type AnswerDeps } from '../../replies/answer-reply';
import { ANSWER_FIELDS } from '../../replies/reply-fields';
import { openReplyLink, type OpenedLink } from '../../replies/reply-link';
import { keys } from '../../storage/keys';
import type { UploadedAudio } from '../../submissions/receive-submission';
import { listenerUpload, type ListenerUploadDeps } from '../middleware/listener-upload';
import { closeAfterAnswer } from '../lingering-close';
import { requestLocale } from '../request-locale';
import { sendBlob } from '../send-blob';

type UploadedFile = Express.Multer.File & UploadedAudio;

/** The private link's token travels in this header, never in an API URL (URLs end up in logs). */
export const REPLY_TOKEN_HEADER = 'x-reply-token';

export interface ReplyLinkDeps extends AnswerDeps, ListenerUploadDeps {}

/** The link's reply, or the refusal in the listener's language where the link was known. */
async function open(deps: ReplyLinkDeps, req: Request, res: Response): Promise<OpenedLink> {
  const opened = await openReplyLink(deps.replies, req.get(REPLY_TOKEN_HEADER) ?? '');
  if ('refusal' in opened) {
    if (opened.locale) res.locals.locale = opened.locale;
    throw new AppError(opened.refusal);
  }
  res.locals.locale = opened.reply.locale;
  res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow' });
  return opened;
}

/**
 * What the listener's reply page reads and sends: the reply, its audio, their own message (where
 * the team allows it), and their one answer. Anyone holding the link is treated as the listener.
 */
export function replyLinksRouter(deps: ReplyLinkDeps): Router {
  const { config } = deps;
  const router = Router();

  router.get('/current', async (req, res) => {
    const { reply, submissionId, replyId } = await open(deps, req, res);
    const [listener, delivery, answer] = await Promise.all([
      deps.documents.readListener(submissionId),
      deps.replies.readDelivery(submissionId, replyId),
      deps.replies.readAnswer(submissionId, replyId),
    ]);
    if (!listener) throw new AppError('REPLY_LINK_INVALID');
    if (!delivery?.audio) throw new AppError('REPLY_NOT_READY', {}, { retryAfterSeconds: 30 });
    const processing = await deps.documents.readProcessing(submissionId);
    res.json({
      locale: reply.locale,
      podcastName: config.PODCAST_NAME,
      createdAt: reply.createdAt,
      expiresAt: reply.expiresAt,
      ...(reply.text !== undefined && { text: reply.text }),
      durationSeconds: delivery.audio.durationSeconds,
      yourMessage: {
        receivedAt: listener.receivedAt,
        ...(listener.topic !== undefined && { topic: listener.topic }),
        playable: reply.showOriginal && processing?.state === 'ready',
      },
      canAnswer: reply.allowAnswer && !answer,
      answered: Boolean(answer),
    });
  });

  router.get('/current/audio', async (req, res) => {
    const { submissionId, replyId } = await open(deps, req, res);
    const delivery = await deps.replies.readDelivery(submissionId, replyId);
    if (!delivery?.audio) throw new AppError('REPLY_NOT_READY', {}, { retryAfterSeconds: 30 });
    await sendBlob(deps.store, res, (size) => req.range(size), {
      key: delivery.audio.key,
      contentType: 'audio/mpeg',
      filename: 'reply.mp3',
      noRedirect: true,
    });
  });

  // The listener's own message, only where the team chose to play it back on the page.
  router.get('/current/original', async (req, res) => {
    const { reply, submissionId } = await open(deps, req, res);
    const processing = await deps.documents.readProcessing(submissionId);
    if (!reply.showOriginal || processing?.state !== 'ready') throw new AppError('NOT_FOUND');
    await sendBlob(deps.store, res, (size) => req.range(size), {
      key: keys.clip(submissionId, 'mp3'),
      contentType: 'audio/mpeg',
      filename: 'message.mp3',
      noRedirect: true,
    });
  });

  router.post(
    '/current/answer',
    // The link, and whether it may still be answered, are checked before the upload is read.
    async (req, res, next) => {
      try {
        const link = await open(deps, req, res);
        if (!link.reply.allowAnswer) throw new AppError('ANSWER_NOT_ALLOWED');
        if (await deps.replies.readAnswer(link.submissionId, link.replyId))
          throw new AppError('ALREADY_ANSWERED');
        res.locals.link = link;
        next();
      } catch (error) {
        closeAfterAnswer(req, res);
        next(error);
      }
    },
    ...listenerUpload(deps, ANSWER_FIELDS),
    async (req, res) => {
      const files = req.files as Record<string, UploadedFile[]> | undefined;
      const file = files?.audio?.[0];
      try {
        const result = await answerReply(deps, {
          link: res.locals.link as OpenedLink,
          body: (req.body ?? {}) as Record<string, unknown>,
          file,
          locale: requestLocale(req, config.DEFAULT_LOCALE),
        });
        res.status(201).json({ id: result.id, status: 'received' });
      } finally {
        if (file) await rm(file.path, { force: true });
      }
    },
  );

  return router;
}
