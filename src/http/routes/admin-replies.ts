import { rm } from 'node:fs/promises';
import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors';
import { createReply, type ReplyDeps } from '../../replies/create-reply';
import { REPLY_FIELDS, MAX_REPLY_TEXT } from '../../replies/reply-fields';
import { revokeReply, threadView } from '../../replies/thread-view';
import { isReplyId, isSubmissionId, keys } from '../../storage/keys';
import type { UploadedAudio } from '../../submissions/receive-submission';
import { limitRequests } from '../limits/rate-limit';
import { principalOf, requireRole } from '../middleware/authenticate';
import { uploadAudio } from '../middleware/upload';
import { sendBlob } from '../send-blob';

type UploadedFile = Express.Multer.File & UploadedAudio;

/**
 * The team's voice replies to a message: send one (the owner), see the conversation, play a reply,
 * withdraw its link. Mounted under /api/admin/submissions, behind authenticate.
 */
export function adminRepliesRouter(deps: ReplyDeps & { redis: Redis; tempDir: string }): Router {
  const { config } = deps;
  const router = Router();
  router.param('id', (_req, _res, next, id: string) =>
    next(isSubmissionId(id) ? undefined : new AppError('NOT_FOUND')),
  );
  router.param('replyId', (_req, _res, next, id: string) =>
    next(isReplyId(id) ? undefined : new AppError('NOT_FOUND')),
  );

  router.get('/:id/thread', async (req: Request<{ id: string }>, res) => {
    res.json(await threadView(deps, req.params.id));
  });

  // Speaking to a listener in the podcast's name is the owner's, like deciding what goes on air.
  router.post(
    '/:id/replies',
    requireRole('owner'),
    limitRequests({
      redis: deps.redis,
      prefix: config.REDIS_PREFIX,
      name: 'replies',
      limit: config.REPLY_RATE_PER_HOUR,
      windowSeconds: 3600,
      keyOf: (req) => {
        const who = req.res && principalOf(req.res);
        return who && (who.accountId ?? who.name);
      },
      countOnlySuccesses: true,
    }),
    uploadAudio({
      tempDir: deps.tempDir,
      maxBytes: config.MAX_UPLOAD_BYTES,
      fields: REPLY_FIELDS,
      maxFieldBytes: MAX_REPLY_TEXT * 4 + 64,
    }),
    async (req: Request<{ id: string }>, res) => {
      const files = req.files as Record<string, UploadedFile[]> | undefined;
      const file = files?.audio?.[0];
      try {
        const reply = await createReply(deps, {
          submissionId: req.params.id,
          body: (req.body ?? {}) as Record<string, unknown>,
          file,
          by: principalOf(res).name,
        });
        res.status(202).json({ id: reply.id, state: 'queued', expiresAt: reply.expiresAt });
      } finally {
        if (file) await rm(file.path, { force: true });
      }
    },
  );

  router.get(
    '/:id/replies/:replyId/audio',
    async (req: Request<{ id: string; replyId: string }>, res) => {
      const delivery = await deps.replies.readDelivery(req.params.id, req.params.replyId);
      if (!delivery?.audio) throw new AppError('NOT_READY');
      await sendBlob(deps.store, res, (size) => req.range(size), {
        key: keys.replyAudio(req.params.id, req.params.replyId),
        contentType: 'audio/mpeg',
        filename: `reply-${req.params.replyId.slice(-8).toLowerCase()}.mp3`,
      });
    },
  );

  router.post(
    '/:id/replies/:replyId/revoke',
    requireRole('owner'),
    async (req: Request<{ id: string; replyId: string }>, res) => {
      await revokeReply(deps, req.params.id, req.params.replyId);
      res.json(await threadView(deps, req.params.id));
    },
  );

  return router;
}
