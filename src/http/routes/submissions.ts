import { rm } from 'node:fs/promises';
import { Router } from 'express';
import { AppError } from '../../errors';
import { isValidIdempotencyKey } from '../../submissions/idempotency';
import {
  receiveSubmission,
  type IntakeDeps,
  type UploadedAudio,
} from '../../submissions/receive-submission';
import type { AppDeps } from '../app';
import { listenerUpload } from '../middleware/listener-upload';
import { ALLOWED_FIELDS } from '../../submissions/listener-fields';
import { requestLocale } from '../request-locale';

type UploadedFile = Express.Multer.File & UploadedAudio;

/** The public intake: POST /api/submissions. */
export function submissionsRouter(
  deps: Pick<
    AppDeps,
    | keyof IntakeDeps
    | 'redis'
    | 'tempDir'
    | 'uploadTraffic'
    | 'intakeLoad'
    | 'metrics'
    | 'arrivingInspections'
  >,
): Router {
  const { config } = deps;
  const router = Router();
  router.post('/', ...listenerUpload(deps, ALLOWED_FIELDS), async (req, res) => {
    const files = req.files as Record<string, UploadedFile[]> | undefined;
    const file = files?.audio?.[0];
    let result: Awaited<ReturnType<typeof receiveSubmission>>;
    try {
      const idempotencyKey = req.get('Idempotency-Key')?.trim();
      if (idempotencyKey !== undefined && !isValidIdempotencyKey(idempotencyKey)) {
        throw new AppError('IDEMPOTENCY_KEY_INVALID');
      }
      result = await receiveSubmission(deps, {
        body: (req.body ?? {}) as Record<string, unknown>,
        file,
        idempotencyKey,
        locale: requestLocale(req, config.DEFAULT_LOCALE),
      });
    } finally {
      // Before answering, so a client that sees the answer never sees the temp file.
      if (file) await rm(file.path, { force: true });
    }
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res
      .status(result.replayed ? 200 : 201)
      .location(`/api/admin/submissions/${result.id}`)
      .json({ id: result.id, status: 'received' });
  });
  return router;
}
