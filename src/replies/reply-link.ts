import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Locale } from '../i18n/locale';
import type { ReplyDocument, ReplyLinkRecord } from './reply';
import type { ReplyDocuments } from './reply-documents';

/** 256 random bits, base64url: unguessable, and fit for a URL path. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const newLinkToken = (): string => randomBytes(32).toString('base64url');

export const linkSha256 = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/** The listener's page for a token. */
export function replyPageUrl(publicUrl: string, token: string): string {
  return new URL(`r/${token}`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).href;
}

/**
 * The token waits here, in Redis, between the team's sending and the mail going out (only the
 * worker that sends the mail reads it); it is deleted once sent, on erasure, or after three days.
 */
export class LinkOutbox {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(replyId: string): string {
    return `${this.prefix}:reply-outbox:${replyId}`;
  }

  async put(replyId: string, token: string): Promise<void> {
    await this.redis.set(this.key(replyId), token, 'EX', 3 * 24 * 3600);
  }

  async take(replyId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(replyId))) ?? undefined;
  }

  async drop(replyId: string): Promise<void> {
    await this.redis.del(this.key(replyId));
  }
}

export interface OpenedLink extends ReplyLinkRecord {
  reply: ReplyDocument;
}

export type LinkRefusal = 'REPLY_LINK_INVALID' | 'REPLY_LINK_REVOKED' | 'REPLY_LINK_EXPIRED';

/**
 * The reply a private link opens, or why not: unknown (also after erasure), revoked, or expired;
 * with the listener's language where the link was known, so the refusal can speak it.
 */
export async function openReplyLink(
  replies: ReplyDocuments,
  token: string,
  now = new Date(),
): Promise<OpenedLink | { refusal: LinkRefusal; locale?: Locale }> {
  if (!TOKEN.test(token)) return { refusal: 'REPLY_LINK_INVALID' };
  const hash = linkSha256(token);
  const record = await replies.readLink(hash);
  const reply = record && (await replies.readReply(record.submissionId, record.replyId));
  if (!record || !reply || reply.linkSha256 !== hash) return { refusal: 'REPLY_LINK_INVALID' };
  if (reply.revokedAt) return { refusal: 'REPLY_LINK_REVOKED', locale: reply.locale };
  if (Date.parse(reply.expiresAt) <= now.getTime())
    return { refusal: 'REPLY_LINK_EXPIRED', locale: reply.locale };
  return { ...record, reply };
}
