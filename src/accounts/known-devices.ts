import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Browsers an account has signed in from, recognised by a random id in a long-lived cookie (Redis
 * keeps only its hash). A known device is not held up by the sign-in back-off that strangers'
 * failed guesses cause; it still needs the password. A flushed Redis forgets them, which only
 * means the back-off applies again.
 */
export class KnownDevices {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private key(accountId: string): string {
    return `${this.prefix}:devices:${accountId}`;
  }

  async isKnown(accountId: string, deviceId: string | undefined): Promise<boolean> {
    if (!deviceId || deviceId.length > 64) return false;
    return (await this.redis.sismember(this.key(accountId), digest(deviceId))) === 1;
  }

  /** Remembers the device (a new id when it has none); returns the id for its cookie. */
  async remember(accountId: string, deviceId: string | undefined): Promise<string> {
    const id =
      deviceId && /^[A-Za-z0-9_-]{43}$/.test(deviceId)
        ? deviceId
        : randomBytes(32).toString('base64url');
    await this.redis
      .multi()
      .sadd(this.key(accountId), digest(id))
      .expire(this.key(accountId), this.ttlSeconds)
      .exec();
    return id;
  }
}
