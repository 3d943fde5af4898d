import { Router } from 'express';
import { z } from 'zod';
import { CONTAINERS } from '../../audio/sniff';
import { AppError } from '../../errors';
import type { BlobStore } from '../../storage/blob-store';
import { attachmentDisposition } from '../../storage/content-disposition';
import { isSubmissionId, keys } from '../../storage/keys';
import { clipFilename, slugify } from '../../submissions/clip-filename';
import { buildBundle, type BundleSelection } from '../../submissions/episode-bundle';
import { episodeSchema } from '../../submissions/review-change';
import type { Submission } from '../../submissions/submission';
import type { SubmissionDocuments } from '../../submissions/submission-documents';
import type { SubmissionIndex } from '../../submissions/submission-index';
import { parseQuery } from '../middleware/validate';
import { sendBlob } from '../send-blob';
import { streamToClient } from '../stream-to-client';

const VARIANTS = {
  original: undefined,
  wav: { contentType: 'audio/wav', extension: 'wav' },
  mp3: { contentType: 'audio/mpeg', extension: 'mp3' },
} as const;

type Variant = keyof typeof VARIANTS;
const isVariant = (v: string): v is Variant => Object.hasOwn(VARIANTS, v);

const bundleQuery = z.union([
  z.object({ episode: episodeSchema }).strict(),
  z
    .object({
      ids: z
        .string()
        .transform((v) => v.split(','))
        .pipe(z.array(z.string().refine(isSubmissionId, 'not a submission id')).min(1).max(500)),
    })
    .strict(),
]);

function audioTarget(submission: Submission, variant: Variant) {
  if (variant === 'original') {
    const info = CONTAINERS[submission.original.container];
    return {
      key: submission.original.key,
      contentType: info.contentType,
      extension: info.extension,
    };
  }
  if (submission.processing.state !== 'ready') throw new AppError('NOT_READY');
  return { key: keys.clip(submission.id, variant), ...VARIANTS[variant] };
}

/** What the editor takes away: single clips, waveform peaks, and the episode bundle. */
export function adminDownloadsRouter(deps: {
  store: BlobStore;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
}): Router {
  const router = Router();

  router.param('id', (_req, _res, next, id: string) =>
    next(isSubmissionId(id) ? undefined : new AppError('NOT_FOUND')),
  );

  const load = async (id: string): Promise<Submission> => {
    const submission = await deps.documents.read(id);
    if (!submission) throw new AppError('NOT_FOUND');
    return submission;
  };

  router.get('/submissions/:id/audio/:variant', async (req, res) => {
    const variant = req.params.variant;
    if (!isVariant(variant)) throw new AppError('NOT_FOUND');
    const submission = await load(req.params.id);
    const target = audioTarget(submission, variant);
    await sendBlob(deps.store, res, (size) => req.range(size), {
      key: target.key,
      contentType: target.contentType,
      filename: clipFilename(submission, target.extension),
    });
  });

  router.get('/submissions/:id/peaks', async (req, res) => {
    const submission = await load(req.params.id);
    if (submission.processing.state !== 'ready') throw new AppError('NOT_READY');
    const peaks = await deps.store.getBytes(keys.peaks(submission.id));
    if (!peaks) throw new AppError('NOT_FOUND');
    res.type('application/json').set('Cache-Control', 'private, max-age=3600').send(peaks);
  });

  // GET: it only reads. ?episode=Folge 12 for an episode's approved clips, ?ids=a,b for a selection.
  router.get('/bundle', async (req, res) => {
    const selection: BundleSelection = parseQuery(bundleQuery, req.query);
    const title = 'episode' in selection ? selection.episode : 'Auswahl';
    const bundle = await buildBundle(deps, selection, title);
    if (!bundle) throw new AppError('BUNDLE_EMPTY');
    const date = new Date().toISOString().slice(0, 10);
    res.set({
      'Content-Type': 'application/zip',
      'Content-Length': String(bundle.size),
      'Content-Disposition': attachmentDisposition(`${date}_${slugify(title)}.zip`),
      'Cache-Control': 'private, no-store',
    });
    await streamToClient(bundle.stream, res);
  });

  return router;
}
