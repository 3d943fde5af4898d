import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Config } from '../config';
import type { Drain } from './drain';

/** How long connections may take and how many may be open: the HTTP_* settings. */
export interface HttpLimits {
  /** A whole request, upload included (slow phones on a 100 MB file). */
  requestTimeoutMs: number;
  /** From the first byte of a request to the end of its headers. */
  headersTimeoutMs: number;
  /** A connection on which nothing moves, also one that never sends a byte. */
  idleTimeoutMs: number;
  /** Between requests on a kept-alive connection. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are closed as they come. */
  maxConnections: number;
}

export const httpLimitsOf = (config: Config): HttpLimits => ({
  requestTimeoutMs: 15 * 60 * 1000,
  headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
  idleTimeoutMs: config.HTTP_IDLE_TIMEOUT_SECONDS * 1000,
  keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_SECONDS * 1000,
  maxConnections: config.HTTP_MAX_CONNECTIONS,
});

/** Listens with the given limits; close() stops accepting and waits for in-flight requests. */
export function listen(app: Express, port: number, limits: HttpLimits): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
    server.requestTimeout = limits.requestTimeoutMs;
    server.headersTimeout = limits.headersTimeoutMs;
    // Node closes a connection that is idle this long (with no 'timeout' listener of ours);
    // headersTimeout alone never ends one that sends nothing at all.
    server.timeout = limits.idleTimeoutMs;
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    server.maxConnections = limits.maxConnections;
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
