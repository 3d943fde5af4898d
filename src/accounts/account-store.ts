import type { BlobStore } from '../storage/blob-store';
import { ACCOUNTS_PREFIX, keys } from '../storage/keys';
import { accountIdOf, normalizeEmail, type Account, type Role } from './account';
import { hashPassword } from './passwords';

/** Accounts in the blob store: they must survive a flushed Redis like the submissions do. */
export class AccountStore {
  constructor(private readonly store: BlobStore) {}

  async get(accountId: string): Promise<Account | undefined> {
    const bytes = await this.store.getBytes(keys.account(accountId));
    return bytes && (JSON.parse(bytes.toString('utf8')) as Account);
  }

  getByEmail(email: string): Promise<Account | undefined> {
    return this.get(accountIdOf(email));
  }

  async list(): Promise<Account[]> {
    const accounts: Account[] = [];
    for await (const key of this.store.list(ACCOUNTS_PREFIX)) {
      const id = /^accounts\/([0-9a-f]{32})\.json$/.exec(key)?.[1];
      const account = id && (await this.get(id));
      if (account) accounts.push(account);
    }
    return accounts.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async hasAny(): Promise<boolean> {
    for await (const _key of this.store.list(ACCOUNTS_PREFIX)) return true;
    return false;
  }

  private async write(account: Account): Promise<void> {
    await this.store.putBytes(
      keys.account(account.id),
      JSON.stringify(account),
      'application/json',
    );
  }

  /** Creates or replaces the account of this e-mail with a new password. */
  async save(email: string, role: Role, password: string): Promise<Account> {
    const now = new Date().toISOString();
    const existing = await this.getByEmail(email);
    const account: Account = {
      id: accountIdOf(email),
      email: normalizeEmail(email),
      role,
      passwordHash: await hashPassword(password),
      createdAt: existing?.createdAt ?? now,
      passwordChangedAt: now,
    };
    await this.write(account);
    return account;
  }

  async setPassword(account: Account, password: string): Promise<Account> {
    const updated = {
      ...account,
      passwordHash: await hashPassword(password),
      passwordChangedAt: new Date().toISOString(),
    };
    await this.write(updated);
    return updated;
  }

  async remove(accountId: string): Promise<void> {
    await this.store.delete(keys.account(accountId));
  }
}
