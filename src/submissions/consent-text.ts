import { createHash } from 'node:crypto';
import type { Locale } from '../i18n/locale';

/**
 * The consent a listener gives by ticking the box. The record stores this version and the hash of
 * the text in the listener's language, so it can later be shown exactly what they agreed to.
 * Change the version whenever a text changes.
 */
export const CONSENT_VERSION = '2026-11-25';

export const CONSENT_TEXT: Record<Locale, string> = {
  de:
    'Ich bin einverstanden, dass meine Sprachnachricht und meine Angaben gespeichert, ' +
    'von der Redaktion angehört und in einer Folge des Podcasts gesendet werden dürfen. ' +
    'Ich kann meine Einwilligung jederzeit widerrufen; dann wird die Nachricht gelöscht.',
  en:
    'I agree that my voice message and my details may be stored, listened to by the ' +
    'editorial team and aired in an episode of the podcast. I can withdraw my consent at ' +
    'any time; the message is then deleted.',
};

export function consentTextSha256(locale: Locale): string {
  return createHash('sha256').update(CONSENT_TEXT[locale], 'utf8').digest('hex');
}
