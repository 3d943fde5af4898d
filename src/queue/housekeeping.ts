import type { Services } from '../services';
import { reconcileSubmissions } from '../submissions/reconcile-submissions';
import { scheduleMaintenance } from './workers';

/**
 * What each worker process does besides jobs. At start, and at once when Redis comes back after a
 * lost connection, it re-creates the daily schedules and queues again every stored message whose
 * processing never finished. Every RECONCILE_INTERVAL_SECONDS it only checks a marker key: gone
 * means Redis lost its data while we stayed connected (a flush, a failover), and only then is
 * storage scanned again; a full scan of the bucket every few minutes from every worker would cost
 * far more than it could find. Both steps are idempotent, so any number of workers may run them.
 */
export function startHousekeeping(services: Services): { stop(): void } {
  const { config, logger, redis } = services;
  const marker = `${config.REDIS_PREFIX}:housekeeping:marker`;
  let running: Promise<void> | undefined;
  const run = (reason: string) => {
    running ??= (async () => {
      try {
        await scheduleMaintenance(services);
        const result = await reconcileSubmissions(services);
        // Set last: data lost during the run leaves no marker, and the next check runs again.
        await redis.set(marker, new Date().toISOString());
        logger.debug({ reason, ...result }, 'housekeeping done');
      } catch (error) {
        logger.warn({ err: error, reason }, 'housekeeping failed; it runs again later');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const check = async () => {
    const present = await redis.exists(marker).catch(() => 1);
    if (present === 0) {
      logger.info('Redis lost its data: reconciling from storage');
      await run('redis data lost');
    }
  };
  const timer = setInterval(() => void check(), config.RECONCILE_INTERVAL_SECONDS * 1000);
  timer.unref();
  let lost = false;
  const onClose = () => (lost = true);
  const onReady = () => {
    if (!lost) return;
    lost = false;
    logger.info('Redis is back: reconciling at once');
    void run('redis back');
  };
  redis.on('close', onClose);
  redis.on('ready', onReady);
  void run('start');
  return {
    stop() {
      clearInterval(timer);
      redis.off('close', onClose);
      redis.off('ready', onReady);
    },
  };
}
