import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { AppError } from '../../errors';
import type { Metrics } from '../../metrics/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** GET /metrics in Prometheus format; behind METRICS_TOKEN (without one, only on METRICS_PORT). */
export function metricsRouter(metrics: Metrics, token: string | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (token === undefined) throw new AppError('NOT_FOUND');
    if (!given || !timingSafeEqual(digest(given), digest(token)))
      throw new AppError('UNAUTHORIZED');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
