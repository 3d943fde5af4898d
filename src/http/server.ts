import type { Server } from 'node:http';
import type { Express } from 'express';

/** Listens with timeouts suited to slow phone uploads; close() stops accepting and waits for in-flight requests. */
export function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.requestTimeout = 15 * 60 * 1000;
    server.headersTimeout = 60 * 1000;
    server.keepAliveTimeout = 5 * 1000;
  });
}

export function closeServer(server: Server, graceMs: number): Promise<void> {
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
