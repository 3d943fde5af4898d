import type { Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { clientGroup, exemptions } from './client-group';
import type { IntakeLoad } from './intake-load';
import { limitRequests } from './rate-limit';
import type { UploadTraffic } from './upload-traffic';

/** How long a client at its concurrency cap is asked to wait before trying again. */
export const PARALLEL_RETRY_SECONDS = 5;

export interface UploadLimitDeps {
  config: Config;
  redis: Redis;
  traffic: UploadTraffic;
  load: IntakeLoad;
}

/**
 * What stands before an upload is read, cheapest first: the global ceiling (503), a large budget
 * of attempts per client (every request counts), a budget of accepted messages per client (a
 * refusal gives its count back, so a listener who sent a too-short file can try again), and the
 * client's cap on uploads moving at once (429). Clients are grouped as client-group.ts says;
 * RATE_LIMIT_EXEMPT ones are not counted at all.
 */
export function uploadLimits(deps: UploadLimitDeps): RequestHandler[] {
  const { config, redis, traffic, load } = deps;
  const exempt = exemptions(config.RATE_LIMIT_EXEMPT);
  const keyOf = (req: Request): string | undefined =>
    exempt(req.ip) ? undefined : clientGroup(req.ip);
  const window = {
    redis,
    prefix: config.REDIS_PREFIX,
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    keyOf,
  };

  const refuseWhenSaturated: RequestHandler = (_req, res, next) => {
    load.retryAfterSeconds().then((retryAfterSeconds) => {
      if (retryAfterSeconds === undefined) return next();
      // No Connection: close: Node discards the unread body, and the client reliably sees the
      // answer (a browser whose upload is cut short reports a network error instead).
      next(new AppError('INTAKE_BUSY', { retryAfterSeconds }, { retryAfterSeconds }));
    }, next);
  };

  const admit: RequestHandler = (req, res, next) => {
    const group = clientGroup(req.ip);
    if (!traffic.admit(req, group, { capped: !exempt(req.ip) })) {
      const retryAfterSeconds = PARALLEL_RETRY_SECONDS;
      return next(
        new AppError('TOO_MANY_PARALLEL_UPLOADS', { retryAfterSeconds }, { retryAfterSeconds }),
      );
    }
    res.once('close', () => traffic.finish(req));
    next();
  };

  return [
    refuseWhenSaturated,
    limitRequests({ ...window, name: 'upload-attempts', limit: config.RATE_LIMIT_ATTEMPTS }),
    limitRequests({
      ...window,
      name: 'uploads',
      limit: config.RATE_LIMIT_UPLOADS,
      countOnlySuccesses: true,
    }),
    admit,
  ];
}
