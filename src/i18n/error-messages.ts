import type { ErrorCode } from '../errors';
import type { Locale } from './locale';

type Params = Record<string, string | number>;
type Message = string | ((p: Params) => string);

/** What a listener or reviewer reads for each refusal, in both languages. */
export const ERROR_MESSAGES: Record<ErrorCode, Record<Locale, Message>> = {
  FILE_REQUIRED: {
    de: 'Bitte nimm eine Sprachnachricht auf oder wähle eine Audiodatei aus.',
    en: 'Please record a voice message or choose an audio file.',
  },
  TOO_MANY_FILES: {
    de: 'Bitte schicke genau eine Audiodatei.',
    en: 'Please send exactly one audio file.',
  },
  UNEXPECTED_FIELD: {
    de: (p) => `Das Formular enthält ein unbekanntes Feld („${p.field}“).`,
    en: (p) => `The form contains an unexpected field ("${p.field}").`,
  },
  TOO_MANY_FIELDS: {
    de: 'Das Formular enthält mehr Felder, als es haben kann.',
    en: 'The form contains more fields than it can have.',
  },
  FIELD_TOO_LONG: {
    de: (p) => `Das Feld „${p.field}“ ist zu lang.`,
    en: (p) => `The field "${p.field}" is too long.`,
  },
  MALFORMED_REQUEST: {
    de: 'Die Anfrage war unvollständig oder beschädigt. Bitte versuche es noch einmal.',
    en: 'The request was incomplete or damaged. Please try again.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    de: 'Die Nachricht muss als Formular (multipart/form-data) gesendet werden.',
    en: 'The message must be sent as a form (multipart/form-data).',
  },
  FILE_EMPTY: {
    de: 'Die Audiodatei ist leer. Bitte nimm noch einmal auf.',
    en: 'The audio file is empty. Please record again.',
  },
  FILE_TOO_LARGE: {
    de: (p) => `Die Datei ist zu groß (höchstens ${p.maxMegabytes} MB).`,
    en: (p) => `The file is too large (at most ${p.maxMegabytes} MB).`,
  },
  UNSUPPORTED_AUDIO_FORMAT: {
    de: 'Das ist keine Audiodatei, die wir lesen können. Möglich sind Sprachnachrichten und Aufnahmen als M4A/MP4, 3GP, Ogg/Opus (WhatsApp, Signal, Telegram), WebM, MP3, WAV, FLAC, AMR und CAF.',
    en: 'This is not an audio file we can read. We accept voice messages and recordings as M4A/MP4, 3GP, Ogg/Opus (WhatsApp, Signal, Telegram), WebM, MP3, WAV, FLAC, AMR and CAF.',
  },
  AUDIO_CORRUPT: {
    de: 'Die Aufnahme ist beschädigt oder unvollständig. Bitte nimm noch einmal auf.',
    en: 'The recording is damaged or incomplete. Please record again.',
  },
  AUDIO_TOO_LONG: {
    de: (p) => `Die Aufnahme ist zu lang (höchstens ${p.maxSeconds} Sekunden).`,
    en: (p) => `The recording is too long (at most ${p.maxSeconds} seconds).`,
  },
  AUDIO_TOO_SHORT: {
    de: (p) => `Die Aufnahme ist zu kurz (mindestens ${p.minSeconds} Sekunden).`,
    en: (p) => `The recording is too short (at least ${p.minSeconds} seconds).`,
  },
  AUDIO_SILENT: {
    de: 'Auf der Aufnahme ist nichts zu hören. Ist das richtige Mikrofon gewählt?',
    en: 'We cannot hear anything on the recording. Is the right microphone selected?',
  },
  NAME_INVALID: {
    de: 'Bitte gib deinen Namen an (1 bis 80 Zeichen).',
    en: 'Please enter your name (1 to 80 characters).',
  },
  EMAIL_INVALID: {
    de: 'Diese E-Mail-Adresse sieht nicht gültig aus.',
    en: 'This e-mail address does not look valid.',
  },
  MESSAGE_TOO_LONG: {
    de: 'Die Notiz ist zu lang (höchstens 2000 Zeichen).',
    en: 'The note is too long (at most 2000 characters).',
  },
  TOPIC_TOO_LONG: {
    de: 'Das Thema ist zu lang (höchstens 100 Zeichen).',
    en: 'The topic is too long (at most 100 characters).',
  },
  LOCALE_INVALID: {
    de: 'Die Sprache muss „de“ oder „en“ sein.',
    en: 'The language must be "de" or "en".',
  },
  CONSENT_REQUIRED: {
    de: 'Bitte bestätige, dass wir deine Nachricht speichern, anhören und im Podcast senden dürfen.',
    en: 'Please confirm that we may store, listen to and air your message in the podcast.',
  },
  SPAM_SUSPECTED: {
    de: 'Die Nachricht konnte nicht angenommen werden.',
    en: 'The message could not be accepted.',
  },
  IDEMPOTENCY_KEY_INVALID: {
    de: 'Der Idempotency-Key muss 8 bis 128 Zeichen aus Buchstaben, Ziffern, - und _ haben.',
    en: 'The Idempotency-Key must be 8 to 128 characters of letters, digits, - and _.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    de: 'Dieser Idempotency-Key wurde schon für eine andere Nachricht benutzt.',
    en: 'This Idempotency-Key was already used for a different message.',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    de: 'Diese Nachricht wird gerade schon verarbeitet. Bitte einen Moment warten.',
    en: 'This message is already being received. Please wait a moment.',
  },
  RATE_LIMITED: {
    de: (p) =>
      `Zu viele Nachrichten in kurzer Zeit. Bitte versuche es in ${p.retryAfterSeconds} Sekunden wieder.`,
    en: (p) =>
      `Too many messages in a short time. Please try again in ${p.retryAfterSeconds} seconds.`,
  },
  LOGIN_THROTTLED: {
    de: (p) =>
      `Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuche es in ${p.retryAfterSeconds} Sekunden wieder.`,
    en: (p) =>
      `Too many failed sign-in attempts. Please try again in ${p.retryAfterSeconds} seconds.`,
  },
  TOO_MANY_PARALLEL_UPLOADS: {
    de: (p) =>
      `Von deinem Netz kommen gerade mehrere Nachrichten gleichzeitig. Wir versuchen es in ${p.retryAfterSeconds} Sekunden noch einmal; deine Aufnahme bleibt erhalten.`,
    en: (p) =>
      `Several messages are arriving from your network at once. We will try again in ${p.retryAfterSeconds} seconds; your recording is kept.`,
  },
  UPLOAD_TOO_SLOW: {
    de: 'Die Verbindung war zu langsam, die Übertragung wurde abgebrochen. Deine Aufnahme bleibt erhalten: versuche es mit besserem Empfang oder im WLAN noch einmal.',
    en: 'The connection was too slow, so the upload was stopped. Your recording is kept: try again with better reception or on Wi-Fi.',
  },
  DUPLICATE_AUDIO: {
    de: 'Diese Aufnahme haben wir schon bekommen. Danke! Wenn du noch etwas sagen möchtest, nimm bitte eine neue Nachricht auf.',
    en: 'We have already received this recording. Thank you! If you want to add something, please record a new message.',
  },
  INTAKE_BUSY: {
    de: (p) =>
      `Gerade kommen sehr viele Nachrichten an. Wir versuchen es in ${p.retryAfterSeconds} Sekunden noch einmal; deine Aufnahme bleibt erhalten.`,
    en: (p) =>
      `A lot of messages are arriving right now. We will try again in ${p.retryAfterSeconds} seconds; your recording is kept.`,
  },
  STORAGE_UNAVAILABLE: {
    de: 'Wir können deine Nachricht gerade nicht speichern. Bitte versuche es gleich noch einmal.',
    en: 'We cannot store your message right now. Please try again shortly.',
  },
  SERVICE_UNAVAILABLE: {
    de: 'Der Dienst ist gerade nicht erreichbar. Bitte versuche es gleich noch einmal.',
    en: 'The service is unavailable right now. Please try again shortly.',
  },
  UNAUTHORIZED: {
    de: 'Anmeldung erforderlich.',
    en: 'Authentication required.',
  },
  LOGIN_FAILED: {
    de: 'E-Mail-Adresse oder Passwort stimmen nicht.',
    en: 'The e-mail address or the password is wrong.',
  },
  FORBIDDEN: {
    de: 'Das darf nur, wer die Rolle „owner“ hat.',
    en: 'Only someone with the owner role may do this.',
  },
  SESSION_REQUIRED: {
    de: 'API-Tokens lassen sich nur anlegen, wenn du im Posteingang angemeldet bist.',
    en: 'API tokens can only be created while signed in to the inbox.',
  },
  CROSS_SITE_REQUEST: {
    de: 'Diese Anfrage kam nicht von einer Seite von hallo und wurde abgelehnt.',
    en: 'This request did not come from a hallo page and was refused.',
  },
  NOT_FOUND: { de: 'Nicht gefunden.', en: 'Not found.' },
  NOT_READY: {
    de: 'Diese Fassung ist noch nicht fertig verarbeitet.',
    en: 'This version has not finished processing yet.',
  },
  INVALID_QUERY: {
    de: (p) => `Ungültiger Parameter: ${p.detail}`,
    en: (p) => `Invalid parameter: ${p.detail}`,
  },
  INVALID_BODY: {
    de: (p) => `Ungültige Angaben: ${p.detail}`,
    en: (p) => `Invalid request: ${p.detail}`,
  },
  BUSY: {
    de: 'Diese Nachricht wird gerade von jemand anderem bearbeitet. Bitte versuche es gleich noch einmal.',
    en: 'Someone else is changing this message right now. Please try again in a moment.',
  },
  NOT_RETRYABLE: {
    de: 'Nur eine fehlgeschlagene Verarbeitung kann wiederholt werden.',
    en: 'Only failed processing can be retried.',
  },
  BUNDLE_EMPTY: {
    de: 'Für diese Auswahl gibt es keine freigegebenen, fertig verarbeiteten Nachrichten.',
    en: 'There are no approved, fully processed messages for this selection.',
  },
  TRANSCRIPTS_OFF: {
    de: 'Transkripte sind ausgeschaltet (TRANSCRIBE=off).',
    en: 'Transcripts are switched off (TRANSCRIBE=off).',
  },
  SEGMENT_NOT_READY: {
    de: 'Das Segment dieser Folge ist nicht auf dem Stand ihrer Auswahl. Bitte erst neu erstellen.',
    en: "This episode's segment does not match its current selection. Please render it first.",
  },
  GHOST_NOT_CONFIGURED: {
    de: 'Es ist kein Ghost eingerichtet (GHOST_URL und GHOST_ADMIN_API_KEY).',
    en: 'No Ghost is set up (GHOST_URL and GHOST_ADMIN_API_KEY).',
  },
  NEWSLETTER_NO_CONSENT: {
    de: 'Keine Nachricht dieser Folge darf in den Newsletter: Niemand hat dafür eingewilligt.',
    en: 'No message of this episode may go into the newsletter: nobody consented to it.',
  },
  REPLY_NO_EMAIL: {
    de: 'Zu dieser Nachricht gibt es keine E-Mail-Adresse, an die eine Antwort gehen könnte.',
    en: 'This message has no e-mail address a reply could go to.',
  },
  REPLY_MAIL_OFF: {
    de: 'Antworten gehen per E-Mail hinaus, aber es ist kein Mailserver eingerichtet (SMTP_URL).',
    en: 'Replies go out by e-mail, but no mail server is set up (SMTP_URL).',
  },
  REPLY_TEXT_TOO_LONG: {
    de: (p) => `Der Text zur Antwort darf höchstens ${p.max} Zeichen lang sein.`,
    en: (p) => `The reply's text may be at most ${p.max} characters long.`,
  },
  REPLY_LINK_INVALID: {
    de: 'Diesen Link gibt es nicht (mehr). Vielleicht wurde die Nachricht gelöscht oder der Link unvollständig kopiert.',
    en: 'This link does not exist (any more). The message may have been deleted, or the link was copied incompletely.',
  },
  REPLY_LINK_EXPIRED: {
    de: 'Dieser Link ist abgelaufen. Antworten lassen sich nur eine begrenzte Zeit anhören.',
    en: 'This link has expired. Replies can only be listened to for a limited time.',
  },
  REPLY_LINK_REVOKED: {
    de: 'Dieser Link wurde von der Redaktion zurückgezogen.',
    en: 'This link was withdrawn by the team.',
  },
  REPLY_NOT_READY: {
    de: 'Die Antwort wird gerade noch vorbereitet. Bitte versuche es in einer Minute noch einmal.',
    en: 'The reply is still being prepared. Please try again in a minute.',
  },
  ANSWER_NOT_ALLOWED: {
    de: 'Auf diese Antwort kann nicht per Sprachnachricht geantwortet werden.',
    en: 'This reply cannot be answered with a voice message.',
  },
  ALREADY_ANSWERED: {
    de: 'Du hast auf diese Antwort schon geantwortet. Danke!',
    en: 'You have already answered this reply. Thank you!',
  },
  INTERNAL: {
    de: 'Etwas ist schiefgegangen. Bitte versuche es noch einmal.',
    en: 'Something went wrong. Please try again.',
  },
};

export function errorMessage(code: ErrorCode, locale: Locale, params: Params = {}): string {
  const message = ERROR_MESSAGES[code][locale];
  return typeof message === 'function' ? message(params) : message;
}
