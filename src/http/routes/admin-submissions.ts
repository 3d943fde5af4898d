import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import type { JobQueues } from '../../queue/job-queues';
import { isSubmissionId } from '../../storage/keys';
import { eraseSubmission, type ErasureDeps } from '../../submissions/erase-submission';
import { renderAgain } from '../../submissions/render-again';
import { retryProcessing } from '../../submissions/retry-processing';
import { episodeSchema, reviewChangeSchema } from '../../submissions/review-change';
import { PROCESSING_STATES, REVIEW_STATES } from '../../submissions/submission';
import type { SubmissionDocuments } from '../../submissions/submission-documents';
import type { SubmissionIndex } from '../../submissions/submission-index';
import { updateReview } from '../../submissions/update-review';
import { principalOf, requireRole } from '../middleware/authenticate';
import { jsonBody } from '../middleware/json-body';
import { parseBody, parseQuery } from '../middleware/validate';

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().refine(isSubmissionId, 'not a submission id').optional(),
    processing: z.enum(PROCESSING_STATES).optional(),
    review: z.enum(REVIEW_STATES).optional(),
    starred: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    episode: episodeSchema.optional(),
    topic: z.string().trim().min(1).max(100).optional(),
    q: z.string().trim().max(200).optional(),
  })
  // A parameter the list does not have is a mistake worth saying, not one to ignore.
  .strict();

export interface AdminSubmissionsDeps extends ErasureDeps {
  config: Config;
  redis: Redis;
  documents: SubmissionDocuments;
  index: SubmissionIndex;
  queues: JobQueues;
}

/** The author's and editor's view of submissions: list, read, review, retry, erase. */
export function adminSubmissionsRouter(deps: AdminSubmissionsDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const { q, ...query } = parseQuery(listQuery, req.query);
    res.json(await deps.index.list({ ...query, ...(q && { search: q }) }));
  });

  router.param('id', (_req, _res, next, id: string) =>
    next(isSubmissionId(id) ? undefined : new AppError('NOT_FOUND')),
  );

  router.get('/:id', async (req, res) => {
    const submission = await deps.documents.read(req.params.id);
    if (!submission) throw new AppError('NOT_FOUND');
    res.json(submission);
  });

  // Approve, reject, mark used, star, note, tag for an episode, noise stage on or off:
  // { state?, starred?, episode?, note?, noise? }
  router.patch('/:id', jsonBody(), async (req: Request<{ id: string }>, res) => {
    const change = parseBody(reviewChangeSchema, req.body);
    // Who may change what is the review rules' to say (review-rules.ts), not the route's.
    const { submission, previous } = await updateReview(
      deps,
      req.params.id,
      change,
      principalOf(res),
    );
    if ((previous.noise ?? 'auto') !== (submission.review.noise ?? 'auto'))
      return void res.json(await renderAgain(deps, submission));
    res.json(submission);
  });

  router.post('/:id/retry', async (req, res) => {
    res.status(202).json(await retryProcessing(deps, req.params.id));
  });

  router.delete('/:id', requireRole('owner'), async (req: Request<{ id: string }>, res) => {
    const report = await eraseSubmission(deps, req.params.id);
    if (report.objectsDeleted === 0 && !report.indexEntryRemoved) throw new AppError('NOT_FOUND');
    res.json({ erased: report });
  });

  return router;
}
