// The listener's private reply page at /r/<token>: plays the team's reply, and takes one answer.
// The token is read from the address and sent in a header, never in another URL.
import { loadConfig } from '../config.js';
import { addMessages, pickLocale, setLocale, t, translateDocument } from '../i18n.js';
import { applyAccent } from '../theme.js';
import { createVoiceCapture, VOICE_CAPTURE_TEXTS } from '../voice-capture.js';
import { REPLY_TEXTS } from './texts.js';

addMessages(VOICE_CAPTURE_TEXTS);
addMessages(REPLY_TEXTS);

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const headers = { 'x-reply-token': token, accept: 'application/json' };

const longDate = (iso, locale) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso));

async function call(path, init = {}) {
  let response;
  try {
    response = await fetch(path, { ...init, headers: { ...headers, ...init.headers } });
  } catch {
    return { ok: false, message: t('networkProblem') };
  }
  if (response.ok) return { ok: true, response };
  const body = await response.json().catch(() => null);
  return {
    ok: false,
    code: body?.error?.code,
    message: body?.error?.message ?? t('networkProblem'),
  };
}

function refuse(message) {
  $('loading').hidden = true;
  $('refusal').textContent = message;
  $('refusal').hidden = false;
}

async function audioInto(path, audio) {
  const result = await call(path, { headers: { accept: 'audio/mpeg' } });
  if (!result.ok) return refuse(result.message);
  audio.src = URL.createObjectURL(await result.response.blob());
  audio.hidden = false;
}

function showAnswerForm(reply, config) {
  const form = $('answer');
  const capture = createVoiceCapture($('answer-capture'), {
    maxSeconds: config.limits.maxDurationSeconds,
  });
  $('answer-consent-text').textContent = config.consent.text[reply.locale];
  const problem = (text) => {
    $('answer-problem').hidden = !text;
    $('answer-problem').textContent = text ?? '';
  };
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (capture.recording) return problem(t('answerStillRecording'));
    if (!capture.take) return problem(t('answerNoAudio'));
    if (!$('answer-consent').checked) return problem(t('answerNoConsent'));
    problem(null);
    const send = $('answer-send');
    send.disabled = true;
    send.textContent = t('answerSending');
    const data = new FormData();
    data.append('consent', 'true');
    data.append('locale', reply.locale);
    const note = $('answer-note').value.trim();
    if (note) data.append('message', note);
    data.append('audio', capture.take.blob, capture.take.filename);
    const result = await call('/api/replies/current/answer', { method: 'POST', body: data });
    send.disabled = false;
    send.textContent = t('answerSend');
    if (!result.ok && result.code !== 'ALREADY_ANSWERED') return problem(result.message);
    form.hidden = true;
    $('answered').hidden = false;
    $('answered').focus?.();
  });
}

async function start() {
  setLocale(pickLocale(navigator.languages));
  translateDocument();
  const [config, result] = await Promise.all([
    loadConfig(location.origin).catch(() => null),
    call('/api/replies/current'),
  ]);
  if (!result.ok) return refuse(result.message);
  const reply = await result.response.json();
  setLocale(reply.locale);
  translateDocument();
  document.title = t('replyHeading');
  if (config) applyAccent(config.podcast.accentColor);
  $('podcast-name').textContent = reply.podcastName;
  const about = reply.yourMessage;
  $('reply-about').textContent = t(about.topic ? 'replyAboutTopic' : 'replyAbout', {
    date: longDate(about.receivedAt, reply.locale),
    topic: about.topic ?? '',
  });
  if (reply.text) {
    $('reply-text').textContent = reply.text;
    $('reply-text').hidden = false;
  }
  $('reply-expiry').textContent = t('replyExpiry', {
    date: longDate(reply.expiresAt, reply.locale),
  });
  await audioInto('/api/replies/current/audio', $('reply-audio'));
  if (about.playable) {
    $('yours').hidden = false;
    $('yours-load').addEventListener('click', async () => {
      $('yours-load').hidden = true;
      await audioInto('/api/replies/current/original', $('yours-audio'));
    });
  }
  $('loading').hidden = true;
  $('reply').hidden = false;
  if (reply.answered) $('answered').hidden = false;
  else if (reply.canAnswer && config) showAnswerForm(reply, config);
}

start();
