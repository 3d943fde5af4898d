import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

// Deletes the lock only while it is still ours (it may have expired and been taken by another).
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export class LockTimeoutError extends Error {}

/**
 * Runs fn while holding a short Redis lock, so two API processes never interleave a
 * read-modify-write of the same document. The TTL bounds how long a crashed holder blocks others.
 */
export async function withKeyLock<T>(
  redis: Redis,
  key: string,
  fn: () => Promise<T>,
  { ttlMs = 10_000, waitMs = 5_000 } = {},
): Promise<T> {
  const token = randomBytes(12).toString('base64url');
  const deadline = Date.now() + waitMs;
  while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new LockTimeoutError(`lock ${key} is busy`);
    await sleep(25 + Math.random() * 50);
  }
  try {
    return await fn();
  } finally {
    await redis.eval(RELEASE_SCRIPT, 1, key, token);
  }
}

// Extends the lock only while it is still ours.
const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Takes a lock without waiting, and keeps renewing it while held (every third of its TTL), so a
 * long job keeps it and a holder that died loses it within one TTL. undefined when it is taken.
 */
export async function tryRenewedLock(
  redis: Redis,
  key: string,
  ttlMs: number,
): Promise<HeldLock | undefined> {
  const token = randomBytes(12).toString('base64url');
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
  const renew = setInterval(() => {
    redis.eval(RENEW_SCRIPT, 1, key, token, String(ttlMs)).catch(() => {});
  }, ttlMs / 3);
  renew.unref();
  return {
    async release() {
      clearInterval(renew);
      await redis.eval(RELEASE_SCRIPT, 1, key, token).catch(() => {});
    },
  };
}
