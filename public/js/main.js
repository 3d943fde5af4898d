// The recorder page: wires configuration, language, recording or file, the form and sending
// together. Each part lives in its own module; this one holds the page's state and its phases:
// loading → idle → recording → recorded → sending → sent (or back to recorded on a refusal).
import { fileProblem, probeDuration } from './audio-file.js';
import { createBackGuard } from './back-guard.js';
import { loadConfig } from './config.js';
import { clearDraft, loadDraft, saveDraft, updateDraftFields } from './draft-store.js';
import { hintFor } from './error-hints.js';
import { createDetailsForm } from './form.js';
import { showGuidance, hideGuidance, initGuidance, renderGuidance } from './guidance-view.js';
import * as i18n from './i18n.js';
import { createPlayer } from './player.js';
import { extensionFor } from './recorder.js';
import { createRecordingPanel } from './recording-panel.js';
import { createSendPanel } from './send-panel.js';
import { applyAccent } from './theme.js';
import { newIdempotencyKey, postOnce, sendWithRetries } from './upload.js';

const { t } = i18n;
const $ = (id) => document.getElementById(id);
const query = new URLSearchParams(location.search);

const state = {
  phase: 'loading',
  config: null,
  canRecord: false,
  audio: null, // { blob, mimeType, fileName, durationSeconds, source: 'recording' | 'file' }
  idempotencyKey: null, // one per recording, reused by every retry of it
  restoredAt: null,
  sentName: '',
};

function announcer(id) {
  const region = $(id);
  return (text) => {
    // The same sentence twice in a row is only read again if the text changes.
    region.textContent = region.textContent === text ? `${text}\u00a0` : text;
  };
}
const announce = announcer('announce-polite');
const announceNow = announcer('announce-assertive');

const form = createDetailsForm();
const player = createPlayer({
  root: $('player'),
  audio: $('playback'),
  playButton: $('play'),
  seek: $('seek'),
  time: $('play-time'),
});
const sendPanel = createSendPanel({ announce, announceNow });
const backGuard = createBackGuard();
const recordingPanel = createRecordingPanel({
  announce,
  onStarted: () => {
    setPhase('recording');
    backGuard.arm(() => recordingPanel.stop());
  },
  onRecorded: (result) => {
    backGuard.disarm();
    if (result.blob.size === 0) {
      setPhase(state.audio ? 'recorded' : 'idle');
      showGuidance({ title: 'micFailedTitle', text: 'micFailed', detail: 'empty' });
      return;
    }
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    setAudio(
      {
        blob: result.blob,
        mimeType: result.mimeType,
        fileName: `voice-message-${stamp}.${extensionFor(result.mimeType)}`,
        durationSeconds: result.durationSeconds,
        source: 'recording',
      },
      { fresh: true },
    );
    $('play').focus();
  },
  onMicError: (error) => {
    setPhase(state.audio ? 'recorded' : 'idle');
    showGuidance(error);
  },
});

// ---- phases and texts -------------------------------------------------------------------------

function setPhase(phase) {
  state.phase = phase;
  const { audio } = state;
  $('loading').hidden = phase !== 'loading';
  $('message-form').hidden = ['loading', 'load-failed', 'sent'].includes(phase);
  $('thanks').hidden = phase !== 'sent';
  $('rec-idle').hidden = !(phase === 'idle' && state.canRecord);
  $('rec-done').hidden = !(audio && (phase === 'recorded' || phase === 'sending'));
  $('file-area').hidden = phase !== 'idle';
  $('record-again').hidden = !state.canRecord;
  for (const id of ['send', 'record-again', 'discard']) $(id).disabled = phase === 'sending';
  $('draft-notice').hidden = !(state.restoredAt && audio && phase === 'recorded');
  if (phase !== 'sending') $('progress-area').hidden = true;
  renderTexts();
}

function renderTexts() {
  const locale = i18n.getLocale();
  i18n.translateDocument();
  for (const button of document.querySelectorAll('[data-locale]')) {
    button.setAttribute('aria-pressed', String(button.dataset.locale === locale));
  }
  const config = state.config;
  document.title = config ? `${t('pageTitle')} – ${config.podcast.name}` : t('pageTitle');
  if (config) {
    $('welcome').textContent = config.podcast.welcome?.[locale] ?? '';
    form.setConsentText(config.consent.text[locale], config.consent.newsletterText[locale]);
    const { maxDurationSeconds, maxUploadBytes } = config.limits;
    $('record-hint').textContent = t('recordHint', {
      max: i18n.spokenDuration(maxDurationSeconds),
    });
    $('file-hint').textContent = t('uploadHint', { maxMb: Math.floor(maxUploadBytes / 1e6) });
  }
  const { audio } = state;
  if (audio) {
    $('audio-info').textContent =
      audio.source === 'file'
        ? t('fileInfo', { name: audio.fileName, size: i18n.fileSize(audio.blob.size) })
        : t('recordingInfo', { duration: i18n.clock(player.duration() || audio.durationSeconds) });
  }
  if (state.restoredAt) {
    $('draft-text').textContent = t('draftRestored', { when: i18n.dateTime(state.restoredAt) });
  }
  $('thanks-title').textContent = t('sentTitle', { name: state.sentName });
  form.render();
  player.render();
  recordingPanel.render();
  sendPanel.render();
  renderGuidance();
}

// ---- the audio: a recording or a file, kept in the page and in IndexedDB -----------------------

function draftFields() {
  const { name, email, message } = form.values();
  return { name, email, message, locale: i18n.getLocale() };
}

function setAudio(audio, { fresh }) {
  state.audio = audio;
  if (fresh) {
    state.idempotencyKey = newIdempotencyKey();
    state.restoredAt = null;
    saveDraft({
      audio,
      idempotencyKey: state.idempotencyKey,
      fields: draftFields(),
      savedAt: Date.now(),
    });
  }
  form.clearProblems();
  sendPanel.hide();
  hideGuidance();
  player.load(audio.blob, audio.durationSeconds);
  setPhase('recorded');
}

function discardAudio() {
  player.unload();
  state.audio = null;
  state.idempotencyKey = null;
  state.restoredAt = null;
  clearDraft();
  sendPanel.hide();
  setPhase('idle');
}

async function startRecording() {
  hideGuidance();
  sendPanel.hide();
  form.clearProblems();
  await recordingPanel.start();
}

async function chooseFile(file) {
  const limits = state.config.limits;
  const durationSeconds = file.size <= limits.maxUploadBytes ? await probeDuration(file) : 0;
  const problem = fileProblem(file, durationSeconds, limits);
  if (problem) {
    const text = t(problem.key, {
      ...problem.params,
      max: i18n.spokenDuration(limits.maxDurationSeconds),
    });
    form.markField('audio', text);
    announceNow(text);
    return;
  }
  setAudio(
    { blob: file, mimeType: file.type, fileName: file.name, durationSeconds, source: 'file' },
    { fresh: true },
  );
  $('play').focus();
}

// ---- sending ---------------------------------------------------------------------------------

function buildFormData() {
  const values = form.values();
  const data = new FormData();
  // Text parts first: the server knows the language before the audio arrives.
  data.append('name', values.name);
  data.append('email', values.email);
  data.append('message', values.message);
  if (values.topic) data.append('topic', values.topic);
  data.append('consent', 'true');
  if (values.newsletter) data.append('newsletter', 'true');
  data.append('locale', i18n.getLocale());
  data.append('website', values.website);
  data.append('audio', state.audio.blob, state.audio.fileName);
  return { data, name: values.name.replace(/\s+/g, ' ').trim() };
}

async function send() {
  if (state.phase === 'sending') return;
  const { limits } = state.config;
  const duration = player.duration() || state.audio?.durationSeconds || 0;
  // Only a recording's length is known here. A browser's length of a file can be a fragment's
  // (WebKit reads a streamed WebM or MP4 as a second long): the server measures files.
  const recorded = state.audio?.source === 'recording';
  const problems = form.check({
    hasAudio: Boolean(state.audio),
    recording: recordingPanel.active,
    audioTooShort: recorded && duration > 0 && duration < limits.minDurationSeconds,
    minText: i18n.spokenDuration(limits.minDurationSeconds),
  });
  form.showProblems(problems);
  if (problems.length > 0) return;

  const { data, name } = buildFormData();
  setPhase('sending');
  sendPanel.started();
  const outcome = await sendWithRetries(
    () =>
      postOnce({
        url: new URL('api/submissions', document.baseURI),
        formData: data,
        idempotencyKey: state.idempotencyKey,
        onUploadProgress: (fraction) => sendPanel.progress(fraction),
        onUploaded: () => sendPanel.processing(),
      }),
    { onWait: (seconds, offline, code) => sendPanel.waiting(seconds, offline, code) },
  );
  if (outcome.ok) {
    await clearDraft();
    player.unload();
    state.audio = null;
    state.idempotencyKey = null;
    state.restoredAt = null;
    state.sentName = name;
    setPhase('sent');
    announce(`${$('thanks-title').textContent} ${t('sentBody')}`);
    $('thanks-title').focus();
    return;
  }
  setPhase('recorded');
  sendPanel.failed(outcome, { maxMb: Math.floor(limits.maxUploadBytes / 1e6) });
  const { field } = hintFor(outcome.code);
  if (field && outcome.message) form.markField(field, outcome.message);
}

// ---- start-up ----------------------------------------------------------------------------------

function applyConfig(config) {
  state.config = config;
  applyAccent(config.podcast.accentColor);
  $('podcast-name').textContent = config.podcast.name;
  const logo = $('logo');
  if (config.podcast.logoUrl) {
    logo.addEventListener('error', () => (logo.hidden = true), { once: true });
    logo.src = config.podcast.logoUrl;
    logo.hidden = false;
  }
  const privacy = $('privacy-link');
  const privacyUrl = safeUrl(config.podcast.privacyUrl);
  privacy.hidden = !privacyUrl;
  if (privacyUrl) privacy.href = privacyUrl;
  recordingPanel.setLimit(config.limits.maxDurationSeconds);
}

function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

async function restoreDraft() {
  const draft = await loadDraft();
  if (!draft || state.audio) return;
  form.restore(draft.fields);
  if (draft.fields?.locale) i18n.setLocale(draft.fields.locale);
  state.idempotencyKey = draft.idempotencyKey;
  state.restoredAt = draft.savedAt ?? Date.now();
  setAudio(draft.audio, { fresh: false });
  announce($('draft-text').textContent);
}

async function start() {
  setPhase('loading');
  $('load-error').hidden = true;
  try {
    applyConfig(await loadConfig());
  } catch {
    setPhase('load-failed');
    $('load-error').hidden = false;
    return;
  }
  form.setTopic(query.get('topic'));
  state.canRecord = initGuidance({ announceNow }) === 'ok';
  setPhase('idle');
  await restoreDraft();
  if (state.canRecord) recordingPanel.refreshMicrophones();
}

function wireEvents() {
  for (const button of document.querySelectorAll('[data-locale]')) {
    button.addEventListener('click', () => {
      i18n.setLocale(button.dataset.locale);
      if (state.audio) updateDraftFields(draftFields(), state.idempotencyKey);
    });
  }
  i18n.onLocaleChange(() => renderTexts());
  $('load-retry').addEventListener('click', () => start());
  $('record').addEventListener('click', () => startRecording());
  $('record-again').addEventListener('click', () => startRecording());
  $('discard').addEventListener('click', () => {
    discardAudio();
    announce(t('discarded'));
    (state.canRecord ? $('record') : $('audio-file')).focus();
  });
  $('audio-file').addEventListener('change', (event) => {
    const [file] = event.target.files;
    event.target.value = ''; // so choosing the same file again still fires
    if (file) chooseFile(file);
  });
  $('message-form').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  $('retry').addEventListener('click', () => send());
  $('error-record-again').addEventListener('click', () => {
    discardAudio();
    if (state.canRecord) startRecording();
    else $('audio-file').focus();
  });
  $('start-over').addEventListener('click', () => {
    discardAudio();
    $('step-message').focus();
  });
  $('send-another').addEventListener('click', () => {
    form.reset();
    setPhase('idle');
    $('step-message').focus();
  });
  let saving = null;
  $('message-form').addEventListener('input', () => {
    clearTimeout(saving);
    saving = setTimeout(
      () => state.audio && updateDraftFields(draftFields(), state.idempotencyKey),
      400,
    );
  });
  window.addEventListener('beforeunload', (event) => {
    if (state.phase === 'recording' || state.phase === 'sending') event.preventDefault();
  });
}

i18n.setLocale(i18n.pickLocale(navigator.languages ?? [navigator.language], query.get('lang')));
wireEvents();
start();
