import { clock } from '../i18n/clock';
import type { Locale } from '../i18n/locale';
import type { Submission } from '../submissions/submission';
import { firstLine } from '../transcripts/transcript';
import { inboxUrl } from './inbox-url';
import type { Mail } from './mailer';

const WORDS = {
  de: {
    ready: (name: string) => `Neue Sprachnachricht von ${name}`,
    length: 'Länge',
    topic: 'Thema',
    note: 'Notiz',
    transcript: 'Transkript',
    listen: 'Anhören',
    digest: (n: number) => `${n} neue ${n === 1 ? 'Sprachnachricht' : 'Sprachnachrichten'}`,
    footer: 'Diese Mail enthält keine Aufnahme; sie liegt im Posteingang.',
  },
  en: {
    ready: (name: string) => `New voice message from ${name}`,
    length: 'Length',
    topic: 'Topic',
    note: 'Note',
    transcript: 'Transcript',
    listen: 'Listen',
    digest: (n: number) => `${n} new voice ${n === 1 ? 'message' : 'messages'}`,
    footer: 'This mail carries no recording; it is in the inbox.',
  },
} as const;

function lines(s: Submission, locale: Locale, publicUrl: string): string[] {
  const w = WORDS[locale];
  return [
    `${w.length}: ${clock(s.processing.durationSeconds ?? 0)}`,
    ...(s.topic ? [`${w.topic}: ${s.topic}`] : []),
    ...(s.message ? [`${w.note}: ${s.message}`] : []),
    ...(s.transcript.text ? [`${w.transcript}: „${firstLine(s.transcript.text, 300)}“`] : []),
    `${w.listen}: ${inboxUrl(publicUrl, s.id)}`,
  ];
}

/** One message is ready: who, how long, the note, the link. No audio attached. */
export function readyMail(s: Submission, locale: Locale, publicUrl: string): Mail {
  const w = WORDS[locale];
  return {
    subject: w.ready(s.name),
    text: [`${s.name}`, '', ...lines(s, locale, publicUrl), '', w.footer].join('\n'),
  };
}

/** The day's messages in one mail. */
export function digestMail(list: Submission[], locale: Locale, publicUrl: string): Mail {
  const w = WORDS[locale];
  const blocks = list.map((s) =>
    [`• ${s.name}`, ...lines(s, locale, publicUrl).map((l) => `  ${l}`)].join('\n'),
  );
  return { subject: w.digest(list.length), text: [...blocks, '', w.footer].join('\n\n') };
}
