import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { BlobStore } from '../../storage/blob-store';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);

/** /healthz: the process is alive. /readyz: Redis and storage answer, so uploads can be taken. */
export function healthRouter(deps: {
  redis: Redis;
  store: BlobStore;
  drain?: { active: boolean };
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (deps.drain?.active) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    const [redis, storage] = await Promise.allSettled([
      withTimeout(deps.redis.ping(), 2000),
      withTimeout(deps.store.check(), 3000),
    ]);
    const checks = {
      redis: redis.status === 'fulfilled' ? 'ok' : 'unavailable',
      storage: storage.status === 'fulfilled' ? 'ok' : 'unavailable',
    };
    const ready = checks.redis === 'ok' && checks.storage === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  return router;
}
