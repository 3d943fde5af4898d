import { rm } from 'node:fs/promises';
import { Router, type Request } from 'express';
import type { Jingles } from '../../episodes/jingles';
import { saveJingle, type JingleDeps } from '../../episodes/save-jingle';
import { AppError } from '../../errors';
import type { BlobStore } from '../../storage/blob-store';
import { isJingleSlot, keys, type JingleSlot } from '../../storage/keys';
import type { UploadedAudio } from '../../submissions/receive-submission';
import { principalOf, requireRole } from '../middleware/authenticate';
import { uploadAudio } from '../middleware/upload';
import { sendBlob } from '../send-blob';

type UploadedFile = Express.Multer.File & UploadedAudio;
type SlotRequest = Request<{ slot: JingleSlot }>;

/**
 * The segment's jingles: intro, between the clips, outro. The owner uploads or removes one;
 * everyone can list and play them. Mounted under /api/admin/jingles, behind authenticate.
 */
export function adminJinglesRouter(
  deps: JingleDeps & { store: BlobStore; jingles: Jingles },
): Router {
  const router = Router();
  router.param('slot', (_req, _res, next, slot: string) =>
    next(isJingleSlot(slot) ? undefined : new AppError('NOT_FOUND')),
  );

  router.get('/', async (_req, res) => {
    res.set('Cache-Control', 'private, no-store').json({ jingles: await deps.jingles.all() });
  });

  router.put(
    '/:slot',
    requireRole('owner'),
    uploadAudio({
      tempDir: deps.tempDir,
      maxBytes: deps.config.MAX_UPLOAD_BYTES,
      fields: [],
      maxFieldBytes: 64,
    }),
    async (req: SlotRequest, res) => {
      const files = req.files as Record<string, UploadedFile[]> | undefined;
      const file = files?.audio?.[0];
      try {
        const jingle = await saveJingle(deps, req.params.slot, file, principalOf(res).name);
        res.json({ jingle });
      } finally {
        if (file) await rm(file.path, { force: true });
      }
    },
  );

  router.delete('/:slot', requireRole('owner'), async (req: SlotRequest, res) => {
    if (!(await deps.jingles.remove(req.params.slot))) throw new AppError('NOT_FOUND');
    res.status(204).end();
  });

  router.get('/:slot/audio', async (req: SlotRequest, res) => {
    await sendBlob(deps.store, res, (size) => req.range(size), {
      key: keys.jingleClip(req.params.slot, 'mp3'),
      contentType: 'audio/mpeg',
      filename: `jingle-${req.params.slot}.mp3`,
    });
  });

  return router;
}
