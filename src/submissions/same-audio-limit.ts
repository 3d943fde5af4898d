import type { Redis } from 'ioredis';

/**
 * How often the very same recording (its SHA-256) may be accepted within a window, from any
 * address. A listener who sends again after a lost answer uses the Idempotency-Key and gets the
 * first submission back; a bot replaying one file from many addresses is stopped here, before
 * any decoding.
 */
export class SameAudioLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly windowSeconds: number,
  ) {}

  private key(sha256: string): string {
    return `${this.prefix}:same-audio:${sha256}`;
  }

  /** Counts one more copy; false (and nothing counted) once the limit is reached. 0 = no limit. */
  async claim(sha256: string): Promise<boolean> {
    if (this.limit === 0) return true;
    const key = this.key(sha256);
    const [[, count]] = (await this.redis
      .multi()
      .incr(key)
      .expire(key, this.windowSeconds, 'NX')
      .exec()) as [[null, number], [null, number]];
    if (count <= this.limit) return true;
    await this.redis.decr(key);
    return false;
  }

  /** Gives a claimed copy back, when its submission was refused after all. */
  async release(sha256: string): Promise<void> {
    if (this.limit === 0) return;
    await this.redis.decr(this.key(sha256));
  }
}
