import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../log';

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export interface PrivateRedis {
  stop(): Promise<void>;
}

/**
 * The embedded default: when nothing answers at REDIS_URL on this machine and redis-server is
 * installed, start a private one with its data under the storage folder, and stop it on exit.
 */
export async function ensureRedis(
  url: string,
  dataDir: string,
  logger: Logger,
): Promise<PrivateRedis | undefined> {
  if (await answers(url)) return undefined;
  const { hostname, port } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    throw new Error(
      `Redis does not answer at ${url}. Start it, or point REDIS_URL at a running Redis.`,
    );
  }
  await mkdir(dataDir, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      port || '6379',
      '--bind',
      '127.0.0.1',
      '--dir',
      path.resolve(dataDir),
      '--appendonly',
      'yes',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `Redis does not answer at ${url} and redis-server is not installed. Install it (apt-get install redis-server; brew install redis) or set REDIS_URL.`,
            )
          : error,
      ),
    ),
  );
  for (let i = 0; i < 50; i++) {
    await Promise.race([new Promise((r) => setTimeout(r, 100)), spawnError]);
    if (await answers(url)) {
      logger.info({ dataDir }, 'started a private redis-server for the embedded default');
      return {
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      };
    }
  }
  child.kill('SIGKILL');
  throw new Error(`Started redis-server for ${url}, but it did not answer within 5 s.`);
}
