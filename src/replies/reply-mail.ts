import type { Locale } from '../i18n/locale';
import type { Mail } from '../notifications/mailer';

export interface ReplyMailFacts {
  locale: Locale;
  podcastName: string;
  listenerName: string;
  /** When the listener sent the message this answers. */
  sentAt: Date;
  expiresAt: Date;
  link: string;
  timeZone: string;
}

const day = (date: Date, locale: Locale, timeZone: string) =>
  new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'long',
    timeZone,
  }).format(date);

/**
 * The mail that tells a listener the team has answered: who, the private link, how long it works.
 * No recording and nothing of what the listener said: a mailbox is read by more than its owner.
 */
export function replyMail(f: ReplyMailFacts): Mail {
  const sent = day(f.sentAt, f.locale, f.timeZone);
  const until = day(f.expiresAt, f.locale, f.timeZone);
  if (f.locale === 'de')
    return {
      subject: `„${f.podcastName}“ hat dir geantwortet`,
      text: [
        `Hallo ${f.listenerName},`,
        '',
        `die Redaktion von „${f.podcastName}“ hat dir auf deine Sprachnachricht vom ${sent} ` +
          'mit einer Sprachnachricht geantwortet. Hier kannst du sie anhören:',
        '',
        f.link,
        '',
        `Der Link ist bis zum ${until} gültig und nur für dich gedacht; bitte leite ihn nicht weiter.`,
        '',
        '--',
        'Diese Mail enthält keine Aufnahme. Du bekommst sie, weil du deiner Nachricht ' +
          'diese Adresse für eine Antwort mitgegeben hast.',
      ].join('\n'),
    };
  return {
    subject: `"${f.podcastName}" replied to you`,
    text: [
      `Hello ${f.listenerName},`,
      '',
      `the team of "${f.podcastName}" has answered your voice message of ${sent} with a voice ` +
        'message. You can listen to it here:',
      '',
      f.link,
      '',
      `The link works until ${until} and is meant for you only; please do not pass it on.`,
      '',
      '--',
      'This mail carries no recording. You receive it because you gave this address with your ' +
        'message, for a reply.',
    ].join('\n'),
  };
}
