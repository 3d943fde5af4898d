import { Router, type Request } from 'express';
import { z } from 'zod';
import { SEGMENT_CONTENT_TYPES } from '../../episodes/build-segment';
import type { EpisodeDocuments } from '../../episodes/episode-documents';
import { episodeView, type EpisodeViewDeps } from '../../episodes/episode-view';
import { AppError } from '../../errors';
import type { BlobStore } from '../../storage/blob-store';
import { isSubmissionId, keys, SEGMENT_FILES, type SegmentFile } from '../../storage/keys';
import { slugify } from '../../submissions/clip-filename';
import { episodeSchema } from '../../submissions/review-change';
import { principalOf } from '../middleware/authenticate';
import { jsonBody } from '../middleware/json-body';
import { parseBody } from '../middleware/validate';
import { sendBlob } from '../send-blob';

const orderSchema = z
  .object({
    ids: z
      .array(z.string().refine(isSubmissionId, 'not a submission id'))
      .max(500)
      .refine((ids) => new Set(ids).size === ids.length, 'an id appears twice'),
  })
  .strict();

const isSegmentFile = (name: string): name is SegmentFile =>
  (SEGMENT_FILES as readonly string[]).includes(name);

type EpisodeRequest = Request<{ episode: string }>;

/**
 * An episode for the editor: its clips in running order, the order changed, the voice segment
 * rendered and downloaded. Mounted under /api/admin/episodes, behind authenticate (every role).
 */
export function adminEpisodesRouter(
  deps: EpisodeViewDeps & { store: BlobStore; episodes: EpisodeDocuments },
): Router {
  const router = Router();
  router.param('episode', (req, _res, next, raw: string) => {
    const parsed = episodeSchema.safeParse(raw);
    if (!parsed.success || parsed.data !== raw) return next(new AppError('NOT_FOUND'));
    next();
  });

  router.get('/:episode', async (req: EpisodeRequest, res) => {
    res.set('Cache-Control', 'private, no-store').json(await episodeView(deps, req.params.episode));
  });

  router.put('/:episode/order', jsonBody(), async (req: EpisodeRequest, res) => {
    const { ids } = parseBody(orderSchema, req.body);
    const { episode } = req.params;
    await deps.episodes.writeOrder({
      episode,
      ids,
      updatedAt: new Date().toISOString(),
      updatedBy: principalOf(res).name,
    });
    res.json(await episodeView(deps, episode));
  });

  // Renders the current selection unless it is rendered or on its way; repeating it is harmless.
  router.post('/:episode/segment', async (req: EpisodeRequest, res) => {
    const { episode } = req.params;
    const view = await episodeView(deps, episode);
    const { state, hash } = view.segment;
    if (state === 'empty') throw new AppError('BUNDLE_EMPTY');
    if (state === 'ready' || state === 'queued' || state === 'rendering')
      return res.status(state === 'ready' ? 200 : 202).json(view);
    // Requeued, not added: a finished job of the same selection (one that found its selection
    // changed, or whose segment an erasure removed) keeps its id for a while and would swallow it.
    await deps.queues.requeue('segment', { episode, hash });
    res.status(202).json(await episodeView(deps, episode));
  });

  // Sends the episode's allowed clips to its Ghost draft; a send already waiting is not doubled.
  router.post('/:episode/newsletter', async (req: EpisodeRequest, res) => {
    const { episode } = req.params;
    if (!deps.config.GHOST_URL) throw new AppError('GHOST_NOT_CONFIGURED');
    const view = await episodeView(deps, episode);
    if (view.clips.length === 0) throw new AppError('BUNDLE_EMPTY');
    if (!view.clips.some((c) => c.newsletter)) throw new AppError('NEWSLETTER_NO_CONSENT');
    const state = await (await deps.queues.job('newsletter', { episode }))?.getState();
    if (state === 'failed') await deps.queues.requeue('newsletter', { episode });
    else if (state !== 'active') await deps.queues.add('newsletter', { episode });
    res.status(202).json(await episodeView(deps, episode));
  });

  router.get('/:episode/:file', async (req: Request<{ episode: string; file: string }>, res) => {
    const { episode, file } = req.params;
    if (!isSegmentFile(file)) throw new AppError('NOT_FOUND');
    const view = await episodeView(deps, episode);
    if (view.segment.state !== 'ready') throw new AppError('SEGMENT_NOT_READY');
    const date = view.segment.rendered?.renderedAt.slice(0, 10) ?? '';
    const [base, extension] = file.split('.') as [string, string];
    await sendBlob(deps.store, res, (size) => req.range(size), {
      key: keys.segmentFile(episode, view.segment.hash, file),
      contentType: SEGMENT_CONTENT_TYPES[file],
      filename: `${date}_${slugify(episode)}_${base}.${extension}`,
    });
  });

  return router;
}
