import { createHash } from 'node:crypto';
import type { Locale } from '../i18n/locale';

/**
 * The consent a listener gives by ticking the box. The page shows exactly this text (from
 * GET /api/config) and the record stores its version and the hash of the text in the listener's
 * language, so it can later be shown what they agreed to. Change the version when a text changes.
 */
export const CONSENT_VERSION = '2026-11-25';

const TEXTS: Record<Locale, (podcast: string, days: number) => string> = {
  de: (podcast, days) =>
    `Ich bin einverstanden, dass meine Sprachnachricht und meine Angaben gespeichert, ` +
    `von der Redaktion von „${podcast}“ angehört und in einer Folge des Podcasts gesendet werden dürfen. ` +
    `Nicht verwendete Nachrichten werden nach spätestens ${days} Tagen gelöscht. ` +
    `Ich kann meine Einwilligung jederzeit widerrufen; dann wird die Nachricht gelöscht.`,
  en: (podcast, days) =>
    `I agree that my voice message and my details may be stored, listened to by the team ` +
    `of "${podcast}" and aired in an episode of the podcast. Messages that are not used are ` +
    `deleted after ${days} days at the latest. I can withdraw my consent at any time; the message is then deleted.`,
};

export interface ConsentSettings {
  podcastName: string;
  retentionDays: number;
}

export function consentText(locale: Locale, settings: ConsentSettings): string {
  return TEXTS[locale](settings.podcastName, settings.retentionDays);
}

export function consentTextSha256(locale: Locale, settings: ConsentSettings): string {
  return createHash('sha256').update(consentText(locale, settings), 'utf8').digest('hex');
}
