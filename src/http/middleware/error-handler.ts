import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError } from '../../errors';
import { errorMessage } from '../../i18n/error-messages';
import type { Locale } from '../../i18n/locale';
import type { Logger } from '../../log';
import { requestLocale } from '../request-locale';

/** Turns every error into `{ error: { code, message } }` in the request's language. */
export function errorHandler(logger: Logger, defaultLocale: Locale): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = isAppError(error) ? error : new AppError('INTERNAL', {}, { cause: error });
    res.locals.errorCode = appError.code;
    const log = req.log ?? logger;
    if (appError.status >= 500) {
      log.error(
        {
          err: appError.code === 'INTERNAL' ? error : (appError.cause ?? appError),
          code: appError.code,
        },
        'request failed',
      );
    } else {
      log.info({ code: appError.code }, 'request refused');
    }
    // A stream that broke after the first byte: end the response so the client sees it cut.
    if (res.headersSent) return void res.destroy();
    if (appError.retryAfterSeconds !== undefined)
      res.set('Retry-After', String(appError.retryAfterSeconds));
    const locale = requestLocale(req, defaultLocale);
    res.status(appError.status).json({
      error: { code: appError.code, message: errorMessage(appError.code, locale, appError.params) },
    });
  };
}

export const notFound: RequestHandler = (_req, _res, next) => next(new AppError('NOT_FOUND'));
