import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { normalizeEmail } from './account';

export interface LoginThrottleSettings {
  /** Failed sign-ins to an account allowed before each further try has to wait. */
  freeFailures: number;
  /** Failures are forgotten this long after the last one; also the longest wait. */
  windowSeconds: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * Slows password guessing against one account without locking its owner out. Only failures
 * count; past `freeFailures` each further try waits 1, 2, 4, … seconds after the last failure (at
 * most the window). Callers skip the wait for a device the account has signed in from before, so
 * strangers' guesses never keep the owner out. Keyed by the address typed (normalised as accounts
 * are), so unknown addresses are throttled alike and tell nothing.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly settings: LoginThrottleSettings,
  ) {}

  private key(email: string): string {
    return `${this.prefix}:login-fail:${digest(normalizeEmail(email))}`;
  }

  /** Seconds until this address may be tried again; 0 when it may now. */
  async waitSeconds(email: string, now = Date.now()): Promise<number> {
    const [count, last] = await this.redis.hmget(this.key(email), 'count', 'last');
    const over = Number(count ?? 0) - this.settings.freeFailures;
    if (over < 0 || !last) return 0;
    const backoff = Math.min(2 ** over, this.settings.windowSeconds);
    return Math.max(0, Math.ceil(backoff - (now - Number(last)) / 1000));
  }

  async recordFailure(email: string, now = Date.now()): Promise<void> {
    const key = this.key(email);
    await this.redis
      .multi()
      .hincrby(key, 'count', 1)
      .hset(key, 'last', now)
      .expire(key, this.settings.windowSeconds)
      .exec();
  }
}
