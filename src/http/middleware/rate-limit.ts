import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors';

/** Uploads per client IP and window, counted in Redis so every API process shares the budget. */
export function limitUploads(options: {
  redis: Redis;
  prefix: string;
  limit: number;
  windowSeconds: number;
}): RequestHandler {
  if (options.limit === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: options.windowSeconds * 1000,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new RedisStore({
      prefix: `${options.prefix}:rl:uploads:`,
      sendCommand: (command: string, ...args: string[]) =>
        options.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (req, _res, next) => {
      const resetTime = (req as typeof req & { rateLimit?: { resetTime?: Date } }).rateLimit
        ?.resetTime;
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil(((resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000),
      );
      next(new AppError('RATE_LIMITED', { retryAfterSeconds }, { retryAfterSeconds }));
    },
  });
}
