import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Drain } from './drain';

/** Listens with timeouts suited to slow phone uploads; close() stops accepting and waits for in-flight requests. */
export function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.requestTimeout = 15 * 60 * 1000;
    server.headersTimeout = 60 * 1000;
    server.keepAliveTimeout = 5 * 1000;
  });
}

/** Stops taking connections, lets requests in flight finish within `graceMs`, then cuts the rest. */
export function closeServer(server: Server, graceMs: number, drain?: Drain): Promise<void> {
  drain?.start();
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
