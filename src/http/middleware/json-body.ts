import express, { type RequestHandler } from 'express';
import { AppError } from '../../errors';

/** Small JSON bodies for the admin API; a broken or oversized body is a 400, not a 500. */
export function jsonBody(limit = '16kb'): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const detail =
        (error as { type?: string }).type === 'entity.too.large' ? 'too large' : 'not valid JSON';
      next(new AppError('INVALID_BODY', { detail }, { cause: error }));
    });
}
