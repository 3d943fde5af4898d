import type { Redis } from 'ioredis';

interface IdempotencyRecord {
  fingerprint: string;
  state: 'pending' | 'done';
  submissionId: string;
}

export type IdempotencyClaim =
  | { kind: 'claimed' }
  | { kind: 'replay'; submissionId: string }
  | { kind: 'in-progress' }
  | { kind: 'reused' };

const KEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export const isValidIdempotencyKey = (key: string): boolean => KEY_PATTERN.test(key);

// Deletes the claim only while it is still this request's pending one.
const RELEASE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record.state == 'pending' and record.submissionId == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Idempotency-Key bookkeeping: a retry with the same key and content gets the same submission,
 * the same key with other content is refused, and two concurrent requests never both store.
 */
export class IdempotencyKeys {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private key(idempotencyKey: string): string {
    return `${this.prefix}:idem:${idempotencyKey}`;
  }

  async claim(
    idempotencyKey: string,
    fingerprint: string,
    submissionId: string,
  ): Promise<IdempotencyClaim> {
    const record: IdempotencyRecord = { fingerprint, state: 'pending', submissionId };
    const key = this.key(idempotencyKey);
    const set = await this.redis.set(key, JSON.stringify(record), 'EX', this.ttlSeconds, 'NX');
    if (set === 'OK') return { kind: 'claimed' };
    const raw = await this.redis.get(key);
    if (raw === null) return this.claim(idempotencyKey, fingerprint, submissionId);
    const existing = JSON.parse(raw) as IdempotencyRecord;
    if (existing.fingerprint !== fingerprint) return { kind: 'reused' };
    return existing.state === 'done'
      ? { kind: 'replay', submissionId: existing.submissionId }
      : { kind: 'in-progress' };
  }

  async complete(idempotencyKey: string, fingerprint: string, submissionId: string): Promise<void> {
    const record: IdempotencyRecord = { fingerprint, state: 'done', submissionId };
    await this.redis.set(this.key(idempotencyKey), JSON.stringify(record), 'EX', this.ttlSeconds);
  }

  async release(idempotencyKey: string, submissionId: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key(idempotencyKey), submissionId);
  }
}
