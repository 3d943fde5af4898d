import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { AppError } from '../../errors';
import type { UploadTraffic } from '../limits/upload-traffic';
import { TempFileStorage } from './temp-file-storage';

/** Room for the text parts and multipart framing on top of the audio itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

function toAppError(error: unknown, maxBytes: number): unknown {
  if (error instanceof MulterError) {
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return new AppError('FILE_TOO_LARGE', { maxMegabytes: Math.floor(maxBytes / 1e6) });
      case 'LIMIT_FILE_COUNT':
        return new AppError('TOO_MANY_FILES');
      case 'LIMIT_UNEXPECTED_FILE':
        return error.field === 'audio'
          ? new AppError('TOO_MANY_FILES')
          : new AppError('UNEXPECTED_FIELD', { field: error.field ?? '?' });
      default:
        return new AppError('MALFORMED_REQUEST', {}, { cause: error });
    }
  }
  // Busboy's parse errors ("Unexpected end of form", "Malformed part header", …) and aborted requests.
  if (error instanceof Error) return new AppError('MALFORMED_REQUEST', {}, { cause: error });
  return error;
}

/** How often an upload's rate is looked at. */
const RATE_CHECK_MS = 1000;

export interface UploadOptions {
  tempDir: string;
  maxBytes: number;
  /** Where this upload's progress is tracked; uploads below its minimum rate are cut. */
  traffic?: UploadTraffic;
  onSlowCut?: () => void;
}

/**
 * Parses the upload form: exactly one `audio` file streamed to a temp file, a few short text parts.
 * Requests that are not multipart, or declare a body far past the limit, are refused before reading.
 * A body that goes on past the limit, or arrives too slowly, is cut off: answered, then the
 * connection closed; multer removes the temp file.
 */
export function uploadAudio(options: UploadOptions): RequestHandler {
  const storage = new TempFileStorage(options.tempDir);
  const parse = multer({
    storage,
    limits: {
      fileSize: options.maxBytes,
      files: 1,
      fields: 12,
      fieldSize: 16 * 1024,
      parts: 14,
      headerPairs: 50,
    },
  }).fields([{ name: 'audio', maxCount: 1 }]);
  const hardLimit = options.maxBytes + FORM_OVERHEAD_BYTES;
  const { traffic } = options;

  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next(new AppError('UNSUPPORTED_MEDIA_TYPE'));
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > hardLimit) {
      res.set('Connection', 'close');
      return next(toAppError(new MulterError('LIMIT_FILE_SIZE', 'audio'), options.maxBytes));
    }
    let finished = false;
    const finish = (error?: unknown): void => {
      if (finished) return;
      finished = true;
      req.off('data', onData);
      clearInterval(rateCheck);
      if (error === undefined) return next();
      // No temp file of a refused upload may outlive the answer.
      storage.discard(req).then(
        () => next(error),
        () => next(error),
      );
    };
    const cut = (error: AppError): void => {
      res.set('Connection', 'close');
      // Once the answer is out: the rest of the body is not read.
      res.once('finish', () => req.destroy());
      finish(error);
    };
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      traffic?.received(req, chunk.length);
      // A client that keeps streaming past the limit is cut off instead of being drained.
      if (received > hardLimit + FORM_OVERHEAD_BYTES)
        cut(toAppError(new MulterError('LIMIT_FILE_SIZE', 'audio'), options.maxBytes) as AppError);
    };
    // Only where a traffic tracker is given: without one no upload is ever too slow.
    const rateCheck =
      traffic &&
      setInterval(() => {
        if (!traffic.tooSlow(req)) return;
        options.onSlowCut?.();
        cut(new AppError('UPLOAD_TOO_SLOW'));
      }, RATE_CHECK_MS).unref();
    req.on('data', onData);
    parse(req, res, (error?: unknown) =>
      finish(error === undefined ? undefined : toAppError(error, options.maxBytes)),
    );
  };
}
