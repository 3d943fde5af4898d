// Every text of the recorder page in German and English. Server refusals arrive already localised;
// the few that the page checks itself before sending repeat the server's wording.

const de = {
  pageTitle: 'Sprachnachricht senden',
  heading: 'Schick uns eine Sprachnachricht',
  language: 'Sprache',
  loading: 'Wird geladen …',
  loadFailed: 'Die Seite konnte nicht geladen werden. Bitte prüfe deine Internetverbindung.',
  tryAgain: 'Erneut versuchen',
  noScript: 'Bitte aktiviere JavaScript, um eine Sprachnachricht aufzunehmen.',
  topicLine: 'Thema: {topic}',
  stepMessage: 'Deine Nachricht',
  stepAboutYou: 'Über dich',
  recordStart: 'Aufnahme starten',
  recordHint: 'Bis zu {max}. Du kannst sie dir vor dem Senden anhören.',
  microphone: 'Mikrofon',
  microphoneN: 'Mikrofon {n}',
  recording: 'Aufnahme läuft',
  paused: 'Pausiert',
  pause: 'Pause',
  resume: 'Weiter',
  stop: 'Aufnahme beenden',
  timer: '{elapsed} · noch {remaining}',
  warnSilent: 'Wir hören nichts — ist das richtige Mikrofon gewählt?',
  warnQuiet: 'Sehr leise — sprich etwas lauter oder näher am Mikrofon.',
  keepScreenOn:
    'Lass den Bildschirm an, bis du fertig bist: Geht er aus, hört bei vielen Handys das Mikrofon auf.',
  announceStarted: 'Aufnahme läuft. Höchstens {max}.',
  announceStopped: 'Aufnahme beendet ({duration}). Du kannst sie dir jetzt anhören.',
  announcePaused: 'Aufnahme pausiert.',
  announceResumed: 'Aufnahme läuft weiter.',
  announceRemaining: 'Noch {remaining}.',
  autoStopped: 'Die Höchstlänge von {max} ist erreicht; die Aufnahme wurde beendet.',
  micLost: 'Das Mikrofon wurde getrennt. Wir haben die Aufnahme bis dahin behalten.',
  play: 'Anhören',
  pausePlayback: 'Anhalten',
  seek: 'Position in der Aufnahme',
  timeOf: '{current} von {total}',
  recordingInfo: 'Deine Aufnahme: {duration}',
  fileInfo: 'Datei: {name} ({size})',
  recordAgain: 'Neu aufnehmen',
  discard: 'Verwerfen',
  discarded: 'Aufnahme verworfen.',
  or: 'oder',
  uploadFile: 'Audiodatei hochladen',
  uploadHint: 'Zum Beispiel ein Sprachmemo vom Handy, höchstens {maxMb} MB.',
  fileNotAudio:
    'Das ist keine Audiodatei, die wir lesen können. Möglich sind Sprachnachrichten und Aufnahmen als M4A/MP4, 3GP, Ogg/Opus (WhatsApp, Signal, Telegram), WebM, MP3, WAV, FLAC, AMR und CAF.',
  fileTooLarge:
    'Die Datei ist zu groß (höchstens {maxMb} MB). Kürze sie oder nimm direkt hier auf.',
  fileTooLong: 'Die Aufnahme ist zu lang (höchstens {max}). Kürze sie oder nimm direkt hier auf.',
  name: 'Dein Name',
  nameHint: 'So dürfen wir dich im Podcast nennen, z. B. „Anna aus Berlin“.',
  email: 'E-Mail (freiwillig)',
  emailHint: 'Nur, falls wir dir antworten möchten.',
  note: 'Notiz an die Redaktion (freiwillig)',
  noteCounter: '{count} von {max} Zeichen',
  consentTitle: 'Einwilligung',
  privacy: 'Datenschutzhinweise',
  send: 'Nachricht senden',
  errorsTitle: 'Bitte prüfe noch:',
  errNoAudio: 'Bitte nimm eine Sprachnachricht auf oder wähle eine Audiodatei aus.',
  errName: 'Bitte gib deinen Namen an (1 bis 80 Zeichen).',
  errEmail: 'Diese E-Mail-Adresse sieht nicht gültig aus.',
  errNote: 'Die Notiz ist zu lang (höchstens 2000 Zeichen).',
  errConsent:
    'Ohne deine Einwilligung dürfen wir die Nachricht nicht annehmen. Bitte setze den Haken bei der Einwilligung.',
  errTooShort: 'Die Aufnahme ist zu kurz (mindestens {min}).',
  errRecordFirst: 'Bitte beende zuerst die Aufnahme.',
  uploading: 'Wird gesendet … {percent} %',
  processing: 'Wird verarbeitet …',
  sendingStarted: 'Deine Nachricht wird gesendet.',
  retrying: 'Die Verbindung ist abgebrochen. Neuer Versuch in {seconds} s …',
  retryingBusy:
    'Gerade kommen sehr viele Nachrichten an. Deine Aufnahme bleibt erhalten, neuer Versuch in {seconds} s …',
  offline: 'Du bist offline. Sobald die Verbindung wieder da ist, senden wir weiter.',
  networkError: 'Die Verbindung ist abgebrochen.',
  unexpectedAnswer: 'Der Server hat unerwartet geantwortet (Status {status}).',
  retry: 'Erneut senden',
  startOver: 'Neu beginnen',
  hintRecordAgain: 'Prüfe das Mikrofon und nimm noch einmal auf.',
  hintLonger: 'Nimm eine etwas längere Nachricht auf.',
  hintShorten: 'Kürze die Nachricht oder nimm eine kürzere auf.',
  hintOtherFile: 'Wähle eine andere Datei oder nimm direkt hier auf.',
  hintFixField: 'Bitte korrigiere das markierte Feld und sende noch einmal.',
  hintLater: 'Bitte versuche es später noch einmal. Deine Aufnahme bleibt hier gespeichert.',
  hintKept: 'Wir behalten deine Aufnahme. Versuche es gleich noch einmal.',
  hintReload: 'Lade die Seite neu und versuche es noch einmal. Deine Aufnahme bleibt gespeichert.',
  hintAlreadySent:
    'Diese Aufnahme ist schon bei uns angekommen, mit den Angaben vom ersten Senden. Du musst nichts mehr tun.',
  sentTitle: 'Danke, {name}!',
  sentBody: 'Deine Nachricht ist bei uns angekommen. Vielleicht hörst du dich bald im Podcast.',
  sendAnother: 'Noch eine Nachricht schicken',
  draftRestored:
    'Wir haben deine noch nicht gesendete Nachricht vom {when} wiederhergestellt. Hör sie dir an und sende sie ab.',
  inAppTitle: 'Besser im Browser öffnen',
  inApp:
    'Du siehst diese Seite in der {app}-App. Dort funktioniert das Mikrofon oft nicht. Öffne sie in Safari oder Chrome: Tippe auf „…“ oder „⋮“ und wähle „Im Browser öffnen“ — oder kopiere den Link und füge ihn dort ein.',
  copyLink: 'Link kopieren',
  linkCopied: 'Link kopiert. Füge ihn in Safari oder Chrome ein.',
  copyFailed: 'Kopieren ging nicht. Halte den Link gedrückt, um ihn zu kopieren.',
  insecureTitle: 'Aufnehmen ist hier nicht möglich',
  insecure:
    'Aufnehmen geht nur über eine sichere Verbindung (https). Du kannst aber eine Audiodatei hochladen.',
  noRecorderTitle: 'Dein Browser kann hier nicht aufnehmen',
  noRecorder:
    'Nimm die Nachricht mit der Sprachmemo-App deines Handys auf und lade sie hier als Datei hoch.',
  deniedTitle: 'Kein Zugriff auf das Mikrofon',
  deniedChrome:
    'Tippe oder klicke in der Adressleiste auf das Symbol links neben der Adresse, dann auf „Berechtigungen“ oder „Website-Einstellungen“, und erlaube das Mikrofon. Lade die Seite danach neu.',
  deniedSafariIos:
    'Tippe in der Adressleiste auf „aA“, dann auf „Website-Einstellungen“, und stelle „Mikrofon“ auf „Erlauben“. Lade die Seite danach neu.',
  deniedSafariMac:
    'Wähle im Menü „Safari“ → „Einstellungen für {host}“ und stelle „Mikrofon“ auf „Erlauben“. Lade die Seite danach neu.',
  deniedFirefox:
    'Klicke in der Adressleiste auf das durchgestrichene Mikrofon-Symbol und entferne die Blockierung. Lade die Seite danach neu.',
  deniedOther:
    'Erlaube den Zugriff auf das Mikrofon in den Einstellungen deines Browsers für diese Seite und lade sie danach neu.',
  deniedEmbed:
    'Diese eingebettete Ansicht darf das Mikrofon nicht benutzen. Öffne die Aufnahmeseite in einem eigenen Fenster.',
  openFullPage: 'Aufnahmeseite öffnen',
  uploadInstead: 'Du kannst auch eine Audiodatei hochladen.',
  notFoundTitle: 'Kein Mikrofon gefunden',
  notFound:
    'Schließe ein Mikrofon an oder erlaube es in den Systemeinstellungen, und versuche es noch einmal.',
  busyTitle: 'Das Mikrofon ist belegt',
  busy: 'Eine andere App (z. B. ein Anruf) benutzt gerade das Mikrofon. Beende sie und versuche es noch einmal.',
  micFailedTitle: 'Das Mikrofon ließ sich nicht starten',
  micFailed: 'Versuche es noch einmal oder lade eine Audiodatei hoch. ({detail})',
  minutes: '{n} Minuten',
  minute: '1 Minute',
  seconds: '{n} Sekunden',
  second: '1 Sekunde',
};

const en = {
  pageTitle: 'Send a voice message',
  heading: 'Send us a voice message',
  language: 'Language',
  loading: 'Loading …',
  loadFailed: 'The page could not be loaded. Please check your internet connection.',
  tryAgain: 'Try again',
  noScript: 'Please turn on JavaScript to record a voice message.',
  topicLine: 'Topic: {topic}',
  stepMessage: 'Your message',
  stepAboutYou: 'About you',
  recordStart: 'Start recording',
  recordHint: 'Up to {max}. You can listen to it before sending.',
  microphone: 'Microphone',
  microphoneN: 'Microphone {n}',
  recording: 'Recording',
  paused: 'Paused',
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop recording',
  timer: '{elapsed} · {remaining} left',
  warnSilent: "We can't hear anything — is the right microphone selected?",
  warnQuiet: 'Very quiet — speak a little louder or closer to the microphone.',
  keepScreenOn:
    'Keep the screen on until you are done: on many phones the microphone stops when it turns off.',
  announceStarted: 'Recording. At most {max}.',
  announceStopped: 'Recording stopped ({duration}). You can listen to it now.',
  announcePaused: 'Recording paused.',
  announceResumed: 'Recording resumed.',
  announceRemaining: '{remaining} left.',
  autoStopped: 'The maximum length of {max} is reached; the recording has stopped.',
  micLost: 'The microphone was disconnected. We kept the recording up to that point.',
  play: 'Play',
  pausePlayback: 'Pause',
  seek: 'Position in the recording',
  timeOf: '{current} of {total}',
  recordingInfo: 'Your recording: {duration}',
  fileInfo: 'File: {name} ({size})',
  recordAgain: 'Record again',
  discard: 'Discard',
  discarded: 'Recording discarded.',
  or: 'or',
  uploadFile: 'Upload an audio file',
  uploadHint: 'For example a voice memo from your phone, at most {maxMb} MB.',
  fileNotAudio:
    'This is not an audio file we can read. We accept voice messages and recordings as M4A/MP4, 3GP, Ogg/Opus (WhatsApp, Signal, Telegram), WebM, MP3, WAV, FLAC, AMR and CAF.',
  fileTooLarge: 'The file is too large (at most {maxMb} MB). Shorten it or record here instead.',
  fileTooLong: 'The recording is too long (at most {max}). Shorten it or record here instead.',
  name: 'Your name',
  nameHint: 'How we may call you on the podcast, e.g. “Anna from Berlin”.',
  email: 'E-mail (optional)',
  emailHint: 'Only in case we would like to reply.',
  note: 'Note to the team (optional)',
  noteCounter: '{count} of {max} characters',
  consentTitle: 'Consent',
  privacy: 'Privacy notice',
  send: 'Send message',
  errorsTitle: 'Please check:',
  errNoAudio: 'Please record a voice message or choose an audio file.',
  errName: 'Please enter your name (1 to 80 characters).',
  errEmail: 'This e-mail address does not look valid.',
  errNote: 'The note is too long (at most 2000 characters).',
  errConsent: 'We can only accept your message with your consent. Please tick the consent box.',
  errTooShort: 'The recording is too short (at least {min}).',
  errRecordFirst: 'Please stop the recording first.',
  uploading: 'Sending … {percent}%',
  processing: 'Processing …',
  sendingStarted: 'Your message is being sent.',
  retrying: 'The connection was lost. Trying again in {seconds} s …',
  retryingBusy:
    'A lot of messages are arriving right now. Your recording is kept; trying again in {seconds} s …',
  offline: 'You are offline. We will continue as soon as the connection is back.',
  networkError: 'The connection was lost.',
  unexpectedAnswer: 'The server gave an unexpected answer (status {status}).',
  retry: 'Send again',
  startOver: 'Start over',
  hintRecordAgain: 'Check the microphone and record again.',
  hintLonger: 'Record a slightly longer message.',
  hintShorten: 'Shorten the message or record a shorter one.',
  hintOtherFile: 'Choose another file or record here instead.',
  hintFixField: 'Please correct the marked field and send again.',
  hintLater: 'Please try again later. Your recording stays saved here.',
  hintKept: 'We keep your recording. Please try again in a moment.',
  hintReload: 'Reload the page and try again. Your recording stays saved.',
  hintAlreadySent:
    'This recording has already reached us, with the details of the first attempt. Nothing more to do.',
  sentTitle: 'Thank you, {name}!',
  sentBody: 'Your message has reached us. Maybe you will hear yourself on the podcast soon.',
  sendAnother: 'Send another message',
  draftRestored: 'We restored your unsent message from {when}. Listen to it, then send it.',
  inAppTitle: 'Better open this in your browser',
  inApp:
    'You are viewing this page inside the {app} app, where the microphone often does not work. Open it in Safari or Chrome: tap “…” or “⋮” and choose “Open in browser” — or copy the link and paste it there.',
  copyLink: 'Copy link',
  linkCopied: 'Link copied. Paste it into Safari or Chrome.',
  copyFailed: 'Copying did not work. Press and hold the link to copy it.',
  insecureTitle: 'Recording is not possible here',
  insecure:
    'Recording only works over a secure connection (https). You can still upload an audio file.',
  noRecorderTitle: 'Your browser cannot record here',
  noRecorder: "Record the message with your phone's voice memo app and upload it here as a file.",
  deniedTitle: 'No access to the microphone',
  deniedChrome:
    'Tap or click the icon left of the address in the address bar, then “Permissions” or “Site settings”, and allow the microphone. Then reload the page.',
  deniedSafariIos:
    'Tap “aA” in the address bar, then “Website Settings”, and set “Microphone” to “Allow”. Then reload the page.',
  deniedSafariMac:
    'Choose “Safari” → “Settings for {host}” in the menu and set “Microphone” to “Allow”. Then reload the page.',
  deniedFirefox:
    'Click the crossed-out microphone icon in the address bar and remove the block. Then reload the page.',
  deniedOther:
    "Allow microphone access for this page in your browser's settings, then reload the page.",
  deniedEmbed:
    'This embedded view may not use the microphone. Open the recorder in a window of its own.',
  openFullPage: 'Open the recorder',
  uploadInstead: 'You can also upload an audio file.',
  notFoundTitle: 'No microphone found',
  notFound: 'Connect a microphone or allow it in your system settings, then try again.',
  busyTitle: 'The microphone is busy',
  busy: 'Another app (a call, for example) is using the microphone. Close it and try again.',
  micFailedTitle: 'The microphone could not be started',
  micFailed: 'Try again or upload an audio file. ({detail})',
  minutes: '{n} minutes',
  minute: '1 minute',
  seconds: '{n} seconds',
  second: '1 second',
};

export const MESSAGES = { de, en };

/** Another page's texts (the inbox's), added to the same tables. */
export function addMessages(tables) {
  for (const locale of Object.keys(MESSAGES)) Object.assign(MESSAGES[locale], tables[locale]);
}
export const LOCALES = ['de', 'en'];

let current = 'de';
const listeners = new Set();

/** de* → de, en* → en, whichever comes first in the browser's list; anything else → en. */
export function pickLocale(languages, requested) {
  if (LOCALES.includes(requested)) return requested;
  for (const tag of languages ?? []) {
    const lang = String(tag).slice(0, 2).toLowerCase();
    if (LOCALES.includes(lang)) return lang;
  }
  return 'en';
}

export const getLocale = () => current;

export function setLocale(locale) {
  if (!LOCALES.includes(locale)) return;
  current = locale;
  document.documentElement.lang = locale;
  for (const listener of listeners) listener(locale);
}

export function onLocaleChange(listener) {
  listeners.add(listener);
}

export function t(key, params = {}) {
  const template = MESSAGES[current][key] ?? MESSAGES.de[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Fills every [data-i18n] element's text and [data-i18n-label] element's aria-label. */
export function translateDocument(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  }
}

/** 65 → "1:05" */
export function clock(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** 300 → "5 Minuten", 90 → "90 Sekunden": for limits, where a clock reads badly. */
export function spokenDuration(seconds) {
  const whole = Math.round(seconds);
  if (whole % 60 === 0 && whole >= 60) {
    return whole === 60 ? t('minute') : t('minutes', { n: whole / 60 });
  }
  return whole === 1 ? t('second') : t('seconds', { n: whole });
}

/** 91000 → "91 kB", 2400000 → "2,4 MB" */
export function fileSize(bytes) {
  const format = (value, digits) =>
    new Intl.NumberFormat(current, { maximumFractionDigits: digits }).format(value);
  return bytes < 1e6 ? `${format(Math.max(1, bytes / 1e3), 0)} kB` : `${format(bytes / 1e6, 1)} MB`;
}

export function dateTime(timestamp) {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(timestamp),
  );
}
