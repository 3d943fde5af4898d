import { randomBytes } from 'node:crypto';
import { mkdtempSync, openAsBlob, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'bullmq';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config';
import { buildApp } from '../../src/http/app';
import { Drain } from '../../src/http/drain';
import { closeServer, httpLimitsOf, listen } from '../../src/http/server';
import { createLogger } from '../../src/log';
import { configuredSecrets } from '../../src/log-scrub';
import type { DestinationStream } from 'pino';
import { startWorkers } from '../../src/queue/workers';
import { createRedis } from '../../src/redis/redis-connection';
import { createServices, type Services } from '../../src/services';
import type { ProcessingState } from '../../src/submissions/submission';
import { s3EnvFor, startS3Server, type S3Implementation, type S3Server } from './s3-server';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
import { REDIS_URL } from './redis-url';
export { REDIS_URL };

export interface UploadParts {
  audio?:
    | { path: string; filename?: string; type?: string }
    | { bytes: Buffer; filename?: string; type?: string };
  fields?: Record<string, string>;
}

export interface Harness {
  url: string;
  app: Express;
  server: Server;
  drain: Drain;
  services: Services;
  tempDir: string;
  /** The S3 test server, when the driver is s3 (tests may stop it). */
  s3: S3Server | undefined;
  upload(
    parts: UploadParts,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  admin(pathname: string, init?: RequestInit): Promise<Response>;
  adminJson(pathname: string): Promise<any>;
  waitForProcessing(id: string, states: ProcessingState[], timeoutMs?: number): Promise<any>;
  objectKeys(): Promise<string[]>;
  redisKeys(pattern?: string): Promise<string[]>;
  tempFiles(): string[];
  stop(): Promise<void>;
}

export const validFields = {
  name: 'Anna aus Berlin',
  consent: 'true',
  email: 'anna@example.org',
  message: 'Hallo!',
};

/**
 * A real hallo: API on port 0, worker in the same process, real Redis under a unique prefix, and
 * disk storage in a fresh folder or an S3-compatible server in a child process (fauxqs unless
 * `s3Server` names the other implementation).
 */
export async function startHallo(options: {
  driver: 'disk' | 's3';
  s3Server?: S3Implementation;
  env?: Record<string, string>;
  worker?: boolean;
  /** Where the service's log lines go (with LOG_LEVEL from env); nowhere by default. */
  log?: DestinationStream;
}): Promise<Harness> {
  const prefix = `hallo-test-${randomBytes(5).toString('hex')}`;
  const root = mkdtempSync(path.join(os.tmpdir(), 'hallo-test-'));
  const tempDir = path.join(root, 'tmp');
  let s3: S3Server | undefined;
  const env: Record<string, string> = {
    REDIS_URL,
    REDIS_PREFIX: prefix,
    STORAGE_DIR: path.join(root, 'storage'),
    TEMP_DIR: tempDir,
    ADMIN_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JOB_BACKOFF_MS: '200',
    // Tests send the same fixtures from one address again and again; limit tests set their own.
    RATE_LIMIT_UPLOADS: '0',
    RATE_LIMIT_ATTEMPTS: '0',
    RATE_LIMIT_IN_FLIGHT: '0',
    RATE_LIMIT_SAME_AUDIO: '0',
    ...options.env,
  };
  if (options.driver === 's3') {
    s3 = await startS3Server(['hallo-test'], { implementation: options.s3Server });
    Object.assign(env, s3EnvFor(s3, 'hallo-test'));
  }
  const config = loadConfig(env);
  const logger = createLogger(
    config.LOG_LEVEL,
    {},
    { secrets: configuredSecrets(config), ...(options.log && { destination: options.log }) },
  );
  const services = await createServices(config, logger);
  const drain = new Drain();
  const app = buildApp({ ...services, drain });
  const server: Server = await listen(app, 0, httpLimitsOf(config));
  drain.attach(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let workers: Worker[] = [];
  let blocking: Redis | undefined;
  if (options.worker !== false) {
    blocking = createRedis(config.REDIS_URL, 'blocking');
    workers = startWorkers(services, blocking);
  }
  const inspector = new Redis(REDIS_URL);

  const harness: Harness = {
    url,
    app,
    server,
    drain,
    services,
    tempDir,
    s3,
    async upload(parts, headers = {}) {
      const form = new FormData();
      for (const [name, value] of Object.entries(parts.fields ?? {})) form.append(name, value);
      if (parts.audio) {
        const blob =
          'path' in parts.audio
            ? await openAsBlob(parts.audio.path, {
                type: parts.audio.type ?? 'application/octet-stream',
              })
            : new Blob([new Uint8Array(parts.audio.bytes)], {
                type: parts.audio.type ?? 'application/octet-stream',
              });
        const filename =
          parts.audio.filename ??
          ('path' in parts.audio ? path.basename(parts.audio.path) : 'audio.bin');
        form.append('audio', blob, filename);
      }
      const response = await fetch(`${url}/api/submissions`, {
        method: 'POST',
        body: form,
        headers,
      });
      return { status: response.status, body: await response.json(), headers: response.headers };
    },
    admin(pathname, init = {}) {
      return fetch(`${url}${pathname}`, {
        ...init,
        redirect: 'manual',
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(init.headers as Record<string, string>),
        },
      });
    },
    async adminJson(pathname) {
      return (await harness.admin(pathname)).json();
    },
    async waitForProcessing(id, states, timeoutMs = 60000) {
      const deadline = Date.now() + timeoutMs;
      let last: any;
      while (Date.now() < deadline) {
        const response = await harness.admin(`/api/admin/submissions/${id}`);
        last = await response.json();
        if (states.includes(last?.processing?.state)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(
        `submission ${id} did not reach ${states.join('|')}; last: ${JSON.stringify(last)}`,
      );
    },
    async objectKeys() {
      const found: string[] = [];
      for await (const key of services.store.list('')) found.push(key);
      return found;
    },
    async redisKeys(pattern = '*') {
      return inspector.keys(`${prefix}:${pattern}`);
    },
    tempFiles() {
      try {
        return readdirSync(tempDir);
      } catch {
        return [];
      }
    },
    async stop() {
      if (server.listening) await closeServer(server, 1000, drain);
      await Promise.all(workers.map((worker) => worker.close()));
      blocking?.disconnect();
      const leftovers = await inspector.keys(`${prefix}:*`);
      if (leftovers.length > 0) await inspector.del(...leftovers);
      inspector.disconnect();
      await services.close();
      await s3?.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return harness;
}
