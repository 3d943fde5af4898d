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
import { uploadLimits } from '../limits/upload-limits';
import { uploadAudio } from '../middleware/upload';
import { ALLOWED_FIELDS, MAX_FIELD_BYTES } from '../../submissions/listener-fields';
import { arrivingUploadCheck } from '../../submissions/upload-check';
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
  router.post(
    '/',
    ...uploadLimits({
      config,
      redis: deps.redis,
      traffic: deps.uploadTraffic,
      load: deps.intakeLoad,
    }),
    uploadAudio({
      tempDir: deps.tempDir,
      maxBytes: config.MAX_UPLOAD_BYTES,
      fields: ALLOWED_FIELDS,
      maxFieldBytes: MAX_FIELD_BYTES,
      traffic: deps.uploadTraffic,
      onSlowCut: () => deps.metrics.slowUploadCuts.inc(),
      ...(config.INSPECT_WHILE_UPLOADING && { check: arrivingUploadCheck(deps) }),
      onEarlyRefusal: (error, bytesRead) => {
        deps.metrics.earlyRefusalBytes.observe({ code: error.code }, bytesRead);
        deps.logger.info({ code: error.code, bytesRead }, 'upload refused before its end');
      },
    }),
    async (req, res) => {
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
    },
  );
  return router;
}
