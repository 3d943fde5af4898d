import { createHash } from 'node:crypto';

export const ROLES = ['owner', 'editor'] as const;
export type Role = (typeof ROLES)[number];

/** A person who signs in to the inbox. Stored in the blob store, like everything that must last. */
export interface Account {
  id: string;
  email: string;
  role: Role;
  /** Argon2id, in PHC string format. */
  passwordHash: string;
  createdAt: string;
  passwordChangedAt: string;
}

/** Who is making a request: an account (by session or personal token), or the ADMIN_TOKEN. */
export interface Principal {
  kind: 'session' | 'api-token' | 'admin-token';
  role: Role;
  /** The account's e-mail, or "admin-token": recorded as who changed a review. */
  name: string;
  accountId?: string;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Derived from the address, so signing in needs one direct read and no index to keep. */
export const accountIdOf = (email: string) =>
  createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 32);
