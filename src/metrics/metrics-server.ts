import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics';

/**
 * /metrics on a port of its own (METRICS_PORT), for Prometheus inside a private network: every
 * process, API or worker, serves its own; no token, so keep the port off the internet.
 */
export function startMetricsServer(metrics: Metrics, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404;
      return res.end();
    }
    metrics.registry.metrics().then(
      (text) => {
        res.setHeader('Content-Type', metrics.registry.contentType);
        res.end(text);
      },
      () => {
        res.statusCode = 500;
        res.end();
      },
    );
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
