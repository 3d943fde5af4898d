import type { RequestHandler } from 'express';
import type { Metrics } from '../../metrics/metrics';

/** Latency of every request, labelled by route pattern (never by id); upload outcomes by code. */
export function recordMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpSeconds.observe(
        { method: req.method, route, status: String(res.statusCode) },
        seconds,
      );
      // By path, not route: a refusal leaves the route before the response ends.
      if (req.method === 'POST' && req.originalUrl.split('?')[0] === '/api/submissions') {
        const accepted = res.statusCode === 201;
        const code = res.locals.errorCode as string | undefined;
        metrics.uploads.inc({ outcome: accepted ? 'accepted' : (code ?? String(res.statusCode)) });
        if (accepted) metrics.uploadBytes.inc(Number(req.headers['content-length'] ?? 0));
      }
    });
    next();
  };
}
