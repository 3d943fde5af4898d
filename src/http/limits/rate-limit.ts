import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import { AppError } from '../../errors';
import { clientGroup } from './client-group';

export interface RequestLimit {
  redis: Redis;
  prefix: string;
  /** What is counted, e.g. "uploads" or "login-ip"; part of the Redis key. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** Whom to count (default: the client's group, see client-group.ts); undefined counts nobody. */
  keyOf?: (req: Request) => string | undefined;
  /** Count only requests that end well (below 400): a refusal does not use up the budget. */
  countOnlySuccesses?: boolean;
  /** Count only requests that fail (400 and above): a success does not use up the budget. */
  countOnlyFailures?: boolean;
  /** The refusal's code, so its message speaks of what was counted. */
  code?: 'RATE_LIMITED' | 'LOGIN_THROTTLED';
}

/** Requests per client and window, counted in Redis so every API process shares the budget. */
export function limitRequests(options: RequestLimit): RequestHandler {
  if (options.limit === 0) return (_req, _res, next) => next();
  const keyOf = options.keyOf ?? ((req: Request) => clientGroup(req.ip));
  return rateLimit({
    keyGenerator: (req) => keyOf(req) ?? '',
    skip: (req) => keyOf(req) === undefined,
    skipFailedRequests: options.countOnlySuccesses ?? false,
    skipSuccessfulRequests: options.countOnlyFailures ?? false,
    windowMs: options.windowSeconds * 1000,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new RedisStore({
      prefix: `${options.prefix}:rl:${options.name}:`,
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
      next(
        new AppError(options.code ?? 'RATE_LIMITED', { retryAfterSeconds }, { retryAfterSeconds }),
      );
    },
  });
}
