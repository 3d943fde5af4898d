import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../errors';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Bearer ADMIN_TOKEN until accounts exist; with no token configured every admin route is closed. */
export function requireAdminToken(adminToken: string | undefined): RequestHandler {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return (req, res, next) => {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!expected || !match?.[1] || !timingSafeEqual(digest(match[1].trim()), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="hallo"');
      return next(new AppError('UNAUTHORIZED'));
    }
    next();
  };
}
