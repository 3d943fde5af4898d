import { createHash, randomBytes } from 'node:crypto';
import type { BlobStore } from '../storage/blob-store';
import { API_TOKENS_PREFIX, keys } from '../storage/keys';

/** What is kept of a personal API token: never the token, only its hash (the key) and this. */
export interface ApiTokenRecord {
  id: string;
  accountId: string;
  name: string;
  createdAt: string;
}

const TOKEN_PREFIX = 'hallo_';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Personal API tokens for scripts. The token is shown once at creation; storage keeps its SHA-256
 * (a long random token needs no slow hash), so checking one is a single direct read.
 */
export class ApiTokens {
  constructor(private readonly store: BlobStore) {}

  async create(
    accountId: string,
    name: string,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const hash = sha256(token);
    const record: ApiTokenRecord = {
      id: hash.slice(0, 16),
      accountId,
      name,
      createdAt: new Date().toISOString(),
    };
    await this.store.putBytes(keys.apiToken(hash), JSON.stringify(record), 'application/json');
    return { token, record };
  }

  /** The record of a presented token, or undefined. */
  async verify(token: string): Promise<ApiTokenRecord | undefined> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
    const bytes = await this.store.getBytes(keys.apiToken(sha256(token)));
    return bytes && (JSON.parse(bytes.toString('utf8')) as ApiTokenRecord);
  }

  async list(accountId?: string): Promise<ApiTokenRecord[]> {
    const records: ApiTokenRecord[] = [];
    for await (const key of this.store.list(API_TOKENS_PREFIX)) {
      const bytes = await this.store.getBytes(key);
      const record = bytes && (JSON.parse(bytes.toString('utf8')) as ApiTokenRecord);
      if (record && (accountId === undefined || record.accountId === accountId))
        records.push(record);
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Revokes by the id shown in listings; only the owner account's tokens when accountId is set. */
  async revoke(id: string, accountId?: string): Promise<boolean> {
    for await (const key of this.store.list(`${API_TOKENS_PREFIX}${id}`)) {
      const bytes = await this.store.getBytes(key);
      const record = bytes && (JSON.parse(bytes.toString('utf8')) as ApiTokenRecord);
      if (!record || record.id !== id) continue;
      if (accountId !== undefined && record.accountId !== accountId) return false;
      await this.store.delete(key);
      return true;
    }
    return false;
  }

  async revokeAllOf(accountId: string): Promise<number> {
    const records = await this.list(accountId);
    for (const record of records) await this.revoke(record.id);
    return records.length;
  }
}
