import type { Redis } from 'ioredis';
import type { Logger } from '../log';

/** Fails with a fix-it message when Redis does not answer; warns when it may drop queued jobs. */
export async function checkRedis(redis: Redis, url: string, logger: Logger): Promise<void> {
  const answered = await Promise.race([
    redis.ping().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000).unref()),
  ]);
  if (!answered) {
    const safeUrl = url.replace(/\/\/[^@/]*@/, '//***@');
    throw new Error(
      `Redis does not answer at ${safeUrl}. Start it (apt-get install redis-server; brew install redis) or set REDIS_URL.`,
    );
  }
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
