import type { Redis } from 'ioredis';
import type { Logger } from '../log';

/** Queued jobs live in Redis: an eviction policy other than noeviction may silently drop them. */
export async function warnOnUnsafeEviction(redis: Redis, logger: Logger): Promise<void> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy && policy !== 'noeviction') {
      logger.warn(
        { policy },
        'Redis maxmemory-policy is not noeviction: queued jobs can be evicted under memory pressure. Set `maxmemory-policy noeviction`.',
      );
    }
  } catch {
    // Managed Redis often refuses CONFIG; nothing to check then.
  }
}
