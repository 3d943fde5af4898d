import { AppError } from '../errors';
import { isLocale, type Locale } from '../i18n/locale';

export const ALLOWED_FIELDS = [
  'name',
  'email',
  'message',
  'consent',
  'locale',
  'topic',
  'newsletter',
  'website',
] as const;

/** Room for the longest field (a 2,000-character note) in UTF-8, with margin. */
export const MAX_FIELD_BYTES = 16 * 1024;

export interface ListenerFields {
  name: string;
  email?: string;
  message?: string;
  topic?: string;
  locale?: Locale;
  /** The newsletter box was ticked. */
  newsletter?: true;
}

// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const CONSENT_YES = new Set(['true', 'on']);

const length = (text: string): number => [...text].length;

function optional(value: string | undefined): string | undefined {
  const trimmed = value?.replace(/\r\n?/g, '\n').trim();
  return trimmed ? trimmed : undefined;
}

/** Checks the text parts of an upload; throws the AppError for the first problem found. */
export function parseListenerFields(body: Record<string, unknown>): ListenerFields {
  for (const key of Object.keys(body)) {
    if (!(ALLOWED_FIELDS as readonly string[]).includes(key))
      throw new AppError('UNEXPECTED_FIELD', { field: key });
  }
  const text: Record<string, string | undefined> = {};
  for (const field of ALLOWED_FIELDS) {
    const value = body[field];
    if (Array.isArray(value)) throw new AppError('MALFORMED_REQUEST');
    text[field] = typeof value === 'string' ? value.normalize('NFC') : undefined;
  }

  if (optional(text.website)) throw new AppError('SPAM_SUSPECTED');

  const name = text.name?.replace(/\s+/g, ' ').trim() ?? '';
  if (length(name) < 1 || length(name) > 80 || CONTROL_CHARS.test(name))
    throw new AppError('NAME_INVALID');

  const email = optional(text.email);
  if (email !== undefined && (email.length > 254 || !EMAIL.test(email)))
    throw new AppError('EMAIL_INVALID');

  const message = optional(text.message);
  if (message !== undefined && length(message) > 2000) throw new AppError('MESSAGE_TOO_LONG');

  const topic = optional(text.topic)?.replace(/\s+/g, ' ');
  if (topic !== undefined && length(topic) > 100) throw new AppError('TOPIC_TOO_LONG');

  const locale = optional(text.locale);
  if (locale !== undefined && !isLocale(locale)) throw new AppError('LOCALE_INVALID');

  if (!CONSENT_YES.has(optional(text.consent)?.toLowerCase() ?? ''))
    throw new AppError('CONSENT_REQUIRED');

  const newsletter = optional(text.newsletter)?.toLowerCase();
  if (newsletter !== undefined && !CONSENT_YES.has(newsletter) && newsletter !== 'false')
    throw new AppError('MALFORMED_REQUEST');

  return {
    name,
    ...(email !== undefined && { email }),
    ...(message !== undefined && { message }),
    ...(topic !== undefined && { topic }),
    ...(locale !== undefined && { locale }),
    ...(newsletter !== undefined && CONSENT_YES.has(newsletter) && { newsletter: true as const }),
  };
}
