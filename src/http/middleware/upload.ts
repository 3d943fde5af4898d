import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { AppError, isAppError } from '../../errors';
import type { UploadTraffic } from '../limits/upload-traffic';
import { guardFormFields, MAX_FIELD_NAME_BYTES, RefusedFieldName } from './form-field-guard';
import { TempFileStorage, type ArrivingFileCheck } from './temp-file-storage';
import { closeAfterAnswer } from '../lingering-close';

/** Room for the text parts and multipart framing on top of the audio itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** A client's field name, fit to be quoted back in a message: printable and short. */
const quotable = (field: string | undefined) =>
  (field ?? '?').replace(/[^\p{L}\p{N} _.[\]-]/gu, '?').slice(0, MAX_FIELD_NAME_BYTES);

function toAppError(error: unknown, maxBytes: number): unknown {
  if (isAppError(error)) return error;
  if (error instanceof RefusedFieldName)
    return new AppError('UNEXPECTED_FIELD', { field: quotable(error.field) });
  if (error instanceof MulterError) {
    // multer 2.5's codes for field names are newer than its type definitions.
    switch (error.code as string) {
      case 'LIMIT_FIELD_NESTING':
      case 'LIMIT_FIELD_ARRAY_INDEX':
      case 'INVALID_FIELD_NAME':
      case 'LIMIT_FIELD_KEY':
      case 'MISSING_FIELD_NAME':
        return new AppError('UNEXPECTED_FIELD', { field: quotable(error.field) });
      case 'LIMIT_FIELD_COUNT':
      case 'LIMIT_PART_COUNT':
        return new AppError('TOO_MANY_FIELDS');
      case 'LIMIT_FIELD_VALUE':
        return new AppError('FIELD_TOO_LONG', { field: quotable(error.field) });
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

export interface UploadOptions<Verdict> {
  tempDir: string;
  maxBytes: number;
  /** The form's text fields: flat names, one value each. Any other part is refused as it arrives. */
  fields: readonly string[];
  /** The longest value of a text field, in bytes. */
  maxFieldBytes: number;
  /** Where this upload's progress is tracked; uploads below its minimum rate are cut. */
  traffic?: UploadTraffic;
  onSlowCut?: () => void;
  /**
   * Checks the audio while it arrives; its verdict lands on the file as `verdict`. A check that
   * rejects with an AppError refuses the upload at once, without reading the rest.
   */
  check?: () => ArrivingFileCheck<Verdict>;
  /** Told of each such refusal with how much of the body had been read. */
  onEarlyRefusal?: (error: AppError, bytesRead: number) => void;
}

/** Calls `onRefusal` with a check's refusal the moment it happens (multer would drain first). */
function answeringAtOnce<Verdict>(
  check: ArrivingFileCheck<Verdict>,
  onRefusal: (error: unknown) => void,
): ArrivingFileCheck<Verdict> {
  const refused = (error: unknown): never => {
    onRefusal(error);
    throw error;
  };
  return {
    write: (chunk) => check.write(chunk).catch(refused),
    end: () => check.end().catch(refused),
    abort: () => check.abort(),
  };
}

/**
 * Parses the upload form: exactly one `audio` file streamed to a temp file, a few short text parts.
 * Requests that are not multipart, or declare a body far past the limit, are refused before reading.
 * A body that goes on past the limit, arrives too slowly, or holds audio the check has already
 * refused, is cut off: answered, then the connection closed; its temp file is removed first.
 */
export function uploadAudio<Verdict>(options: UploadOptions<Verdict>): RequestHandler {
  const refusers = new WeakMap<Request, (error: unknown) => void>();
  const { check } = options;
  const storage = new TempFileStorage<Verdict>(
    options.tempDir,
    check && ((req) => answeringAtOnce(check(), (error) => refusers.get(req)?.(error))),
  );
  const allowedFields = new Set(options.fields);
  const parse = multer({
    storage,
    // Every limit set: multer's defaults for field names are unbounded.
    limits: {
      fileSize: options.maxBytes,
      files: 1,
      fields: allowedFields.size,
      fieldSize: options.maxFieldBytes,
      fieldNameSize: MAX_FIELD_NAME_BYTES,
      fieldNestingDepth: 0,
      fieldArrayIndexLimit: 0,
      parts: allowedFields.size + 1,
      headerPairs: 20,
    },
  }).fields([{ name: 'audio', maxCount: 1 }]);
  const hardLimit = options.maxBytes + FORM_OVERHEAD_BYTES;
  const { traffic } = options;

  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next(new AppError('UNSUPPORTED_MEDIA_TYPE'));
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > hardLimit) {
      closeAfterAnswer(req, res);
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
      // The rest of the body is not read: dropped while the client reads the answer.
      closeAfterAnswer(req, res);
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
    // A refusal of the audio before its last byte: answered now, the rest is not read.
    refusers.set(req, (error) => {
      const refusal = toAppError(error, options.maxBytes);
      if (!isAppError(refusal) || refusal.status >= 500 || finished) return;
      options.onEarlyRefusal?.(refusal, received);
      cut(refusal);
    });
    const unguard = guardFormFields(req, allowedFields);
    parse(req, res, (error?: unknown) => {
      unguard();
      finish(error === undefined ? undefined : toAppError(error, options.maxBytes));
    });
  };
}
