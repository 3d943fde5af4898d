import { createHash } from 'node:crypto';
import type { Config } from '../config';
import type { Locale } from '../i18n/locale';

/**
 * The consent a listener gives by ticking the box. The page shows exactly this text (from
 * GET /api/config) and the record stores its version and the hash of the text in the listener's
 * language, so it can later be shown what they agreed to. Change the version when a text changes.
 */
export const CONSENT_VERSION = '2026-12-05';

/** From this version on, the listener is asked separately whether the newsletter may use it too. */
export const NEWSLETTER_CONSENT_SINCE = '2026-12-05';

export interface ConsentSettings {
  podcastName: string;
  retentionDays: number;
  /** Where a listener withdraws consent; without it the text points to the privacy notice. */
  contactEmail?: string | undefined;
}

const TEXTS: Record<Locale, (settings: ConsentSettings) => string> = {
  de: ({ podcastName, retentionDays, contactEmail }) =>
    `Ich bin einverstanden, dass meine Sprachnachricht und meine Angaben gespeichert, ` +
    `von der Redaktion von „${podcastName}“ angehört und in einer Folge des Podcasts gesendet werden dürfen. ` +
    `Gebe ich eine E-Mail-Adresse an, darf sie nur genutzt werden, um mir auf diese Nachricht zu antworten. ` +
    `Nicht verwendete Nachrichten werden nach spätestens ${retentionDays} Tagen gelöscht. ` +
    `Ich kann meine Einwilligung jederzeit widerrufen (` +
    (contactEmail
      ? `per E-Mail an ${contactEmail}`
      : `wie in den Datenschutzhinweisen beschrieben`) +
    `); dann wird die Nachricht gelöscht.`,
  en: ({ podcastName, retentionDays, contactEmail }) =>
    `I agree that my voice message and my details may be stored, listened to by the team ` +
    `of "${podcastName}" and aired in an episode of the podcast. If I give an e-mail address, it ` +
    `may only be used to reply to this message. Messages that are not used are ` +
    `deleted after ${retentionDays} days at the latest. I can withdraw my consent at any time (` +
    (contactEmail ? `by e-mail to ${contactEmail}` : `as the privacy notice describes`) +
    `); the message is then deleted.`,
};

/** The second, optional box: the newsletter too. Its text's hash is kept when it is ticked. */
const NEWSLETTER_TEXTS: Record<Locale, (settings: ConsentSettings) => string> = {
  de: ({ podcastName }) =>
    `Auch im Newsletter: Meine Sprachnachricht, mein Name und mein Thema dürfen zusätzlich im ` +
    `Newsletter von „${podcastName}“ erscheinen, als Audio und als zitierter Text.`,
  en: ({ podcastName }) =>
    `The newsletter too: my voice message, my name and my topic may also appear in the ` +
    `newsletter of "${podcastName}", as audio and as quoted text.`,
};

export function newsletterConsentText(locale: Locale, settings: ConsentSettings): string {
  return NEWSLETTER_TEXTS[locale](settings);
}

export function newsletterConsentTextSha256(locale: Locale, settings: ConsentSettings): string {
  return createHash('sha256').update(newsletterConsentText(locale, settings), 'utf8').digest('hex');
}

export function consentSettings(config: Config): ConsentSettings {
  return {
    podcastName: config.PODCAST_NAME,
    retentionDays: config.RETENTION_DAYS,
    contactEmail: config.CONTACT_EMAIL,
  };
}

export function consentText(locale: Locale, settings: ConsentSettings): string {
  return TEXTS[locale](settings);
}

export function consentTextSha256(locale: Locale, settings: ConsentSettings): string {
  return createHash('sha256').update(consentText(locale, settings), 'utf8').digest('hex');
}
