import { Redis } from 'ioredis';

/**
 * `commands`: fails fast when Redis is away, so a request gets a clear 503 instead of hanging.
 * `blocking`: for BullMQ workers, which must retry forever (BullMQ requires maxRetriesPerRequest null).
 */
export function createRedis(url: string, purpose: 'commands' | 'blocking'): Redis {
  return new Redis(url, {
    connectTimeout: 3000,
    maxRetriesPerRequest: purpose === 'blocking' ? null : 2,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  });
}
