import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { Logger } from '../../log';
import type { Metrics } from '../../metrics/metrics';
import type { ProcessSlots } from '../../audio/process-slots';
import { MAX_FIELD_BYTES } from '../../submissions/listener-fields';
import { arrivingUploadCheck } from '../../submissions/upload-check';
import type { IntakeLoad } from '../limits/intake-load';
import { uploadLimits } from '../limits/upload-limits';
import type { UploadTraffic } from '../limits/upload-traffic';
import { uploadAudio } from './upload';

export interface ListenerUploadDeps {
  config: Config;
  redis: Redis;
  tempDir: string;
  uploadTraffic: UploadTraffic;
  intakeLoad: IntakeLoad;
  metrics: Metrics;
  arrivingInspections: ProcessSlots;
  logger: Logger;
}

/**
 * What every upload from the public takes: the client's budgets, then the multipart body with
 * its audio checked while it arrives. A new message and an answer to a reply alike.
 */
export function listenerUpload(
  deps: ListenerUploadDeps,
  fields: readonly string[],
): RequestHandler[] {
  const { config } = deps;
  return [
    ...uploadLimits({
      config,
      redis: deps.redis,
      traffic: deps.uploadTraffic,
      load: deps.intakeLoad,
    }),
    uploadAudio({
      tempDir: deps.tempDir,
      maxBytes: config.MAX_UPLOAD_BYTES,
      fields,
      maxFieldBytes: MAX_FIELD_BYTES,
      traffic: deps.uploadTraffic,
      onSlowCut: () => deps.metrics.slowUploadCuts.inc(),
      ...(config.INSPECT_WHILE_UPLOADING && { check: arrivingUploadCheck(deps) }),
      onEarlyRefusal: (error, bytesRead) => {
        deps.metrics.earlyRefusalBytes.observe({ code: error.code }, bytesRead);
        deps.logger.info({ code: error.code, bytesRead }, 'upload refused before its end');
      },
    }),
  ];
}
