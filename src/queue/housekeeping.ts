import type { Services } from '../services';
import { reconcileSubmissions } from '../submissions/reconcile-submissions';
import { scheduleMaintenance } from './workers';

/**
 * What each worker process does besides jobs: at start, every RECONCILE_INTERVAL_SECONDS, and at
 * once when Redis comes back after a loss (perhaps empty), it re-creates the daily schedules and
 * queues again every stored message whose processing never finished. Both are idempotent, so any
 * number of workers may do it.
 */
export function startHousekeeping(services: Services): { stop(): void } {
  const { config, logger, redis } = services;
  let running: Promise<void> | undefined;
  const run = (reason: string) => {
    running ??= (async () => {
      try {
        await scheduleMaintenance(services);
        const result = await reconcileSubmissions(services);
        logger.debug({ reason, ...result }, 'housekeeping done');
      } catch (error) {
        logger.warn({ err: error, reason }, 'housekeeping failed; it runs again later');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void run('interval'), config.RECONCILE_INTERVAL_SECONDS * 1000);
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
