import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface SessionSettings {
  idleSeconds: number;
  absoluteSeconds: number;
}

interface SessionRecord {
  accountId: string;
  createdAt: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Server-side sessions in Redis. The cookie holds a random id; Redis holds only its hash, so a
 * copy of Redis opens no session. Idle timeout is the key's TTL, renewed on use; the absolute
 * timeout is checked against the creation time. Each account's sessions are listed, so a
 * password reset or a removed account ends all of them.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly settings: SessionSettings,
  ) {}

  private key(sessionId: string): string {
    return `${this.prefix}:sess:${digest(sessionId)}`;
  }

  private accountKey(accountId: string): string {
    return `${this.prefix}:sess-of:${accountId}`;
  }

  /** A new session (always a new id: signing in never reuses one). Returns the cookie value. */
  async create(accountId: string): Promise<string> {
    const sessionId = randomBytes(32).toString('base64url');
    const record: SessionRecord = { accountId, createdAt: Date.now() };
    const key = this.key(sessionId);
    await this.redis
      .multi()
      .set(key, JSON.stringify(record), 'EX', this.settings.idleSeconds)
      .sadd(this.accountKey(accountId), key)
      .expire(this.accountKey(accountId), this.settings.absoluteSeconds)
      .exec();
    return sessionId;
  }

  /** The account id of a live session, renewing its idle timeout; undefined when over. */
  async resolve(sessionId: string): Promise<string | undefined> {
    const key = this.key(sessionId);
    const raw = await this.redis.get(key);
    if (!raw) return undefined;
    const record = JSON.parse(raw) as SessionRecord;
    const age = (Date.now() - record.createdAt) / 1000;
    if (age >= this.settings.absoluteSeconds) {
      await this.redis.del(key);
      return undefined;
    }
    const left = Math.ceil(this.settings.absoluteSeconds - age);
    await this.redis.expire(key, Math.min(this.settings.idleSeconds, left));
    return record.accountId;
  }

  async destroy(sessionId: string): Promise<void> {
    await this.redis.del(this.key(sessionId));
  }

  /** Ends every session of the account (password reset, account removed). */
  async destroyAllOf(accountId: string): Promise<void> {
    const setKey = this.accountKey(accountId);
    const keys = await this.redis.smembers(setKey);
    await this.redis.del(setKey, ...keys);
  }
}
