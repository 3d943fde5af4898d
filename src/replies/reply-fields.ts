import { AppError } from '../errors';

export const REPLY_FIELDS = ['text', 'allowAnswer', 'showOriginal'] as const;
export const ANSWER_FIELDS = ['consent', 'message', 'locale', 'website'] as const;

export const MAX_REPLY_TEXT = 500;

export interface ReplyFields {
  text?: string;
  allowAnswer: boolean;
  showOriginal: boolean;
}

const YES = new Set(['true', 'on', '1']);
const NO = new Set(['false', 'off', '0', '']);

function flag(value: unknown, fallback: boolean, field: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new AppError('MALFORMED_REQUEST');
  const v = value.trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  throw new AppError('UNEXPECTED_FIELD', { field });
}

/** The text parts of the team's reply form. An answer is allowed unless switched off. */
export function parseReplyFields(body: Record<string, unknown>): ReplyFields {
  for (const key of Object.keys(body))
    if (!(REPLY_FIELDS as readonly string[]).includes(key))
      throw new AppError('UNEXPECTED_FIELD', { field: key });
  if (body.text !== undefined && typeof body.text !== 'string')
    throw new AppError('MALFORMED_REQUEST');
  const text = (body.text as string | undefined)?.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (text && [...text].length > MAX_REPLY_TEXT)
    throw new AppError('REPLY_TEXT_TOO_LONG', { max: MAX_REPLY_TEXT });
  return {
    ...(text && { text }),
    allowAnswer: flag(body.allowAnswer, true, 'allowAnswer'),
    showOriginal: flag(body.showOriginal, false, 'showOriginal'),
  };
}
