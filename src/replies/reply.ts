import type { AudioContainer } from '../audio/sniff';
import type { Locale } from '../i18n/locale';

/** The team's voice reply to one message. Written by the team only: at creation and on revoking. */
export interface ReplyDocument {
  schemaVersion: 1;
  id: string;
  /** The message it answers: the first message of the thread. */
  submissionId: string;
  createdAt: string;
  /** The account's e-mail, or "admin-token". */
  createdBy: string;
  /** The language of the listener's message: the mail and the page speak it. */
  locale: Locale;
  /** A few words beside the recording, shown on the reply page. */
  text?: string;
  /** The private link's token, hashed; the token itself is only ever in the mail. */
  linkSha256: string;
  expiresAt: string;
  revokedAt?: string;
  /** The listener may answer once, by voice, from the reply page. */
  allowAnswer: boolean;
  /** The reply page may play the listener's own message again. */
  showOriginal: boolean;
  original: {
    key: string;
    container: AudioContainer;
    bytes: number;
    sha256: string;
    durationSeconds: number;
  };
}

export const DELIVERY_STATES = ['rendering', 'sending', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** How far the reply got: rendered, mailed. Written only by the worker; absent means queued. */
export interface ReplyDelivery {
  state: DeliveryState;
  updatedAt: string;
  error?: string;
  audio?: { key: string; durationSeconds: number; integratedLufs: number };
  mailedAt?: string;
}

/** The listener's answer from the reply page: one new message of the thread. Written once. */
export interface ReplyAnswer {
  submissionId: string;
  at: string;
}

/** Where a listener's answer belongs: written into the answer's own listener document. */
export interface ThreadLink {
  submissionId: string;
  replyId: string;
}

/** What a private link points to. */
export interface ReplyLinkRecord {
  submissionId: string;
  replyId: string;
}
