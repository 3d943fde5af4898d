// Shows the guidance from guidance.js: the in-app-browser notice with a copy-link button, and the
// box that explains why the microphone cannot be used and what to do instead.
import {
  browserFamily,
  detectInAppBrowser,
  guidanceForMicrophoneError,
  microphoneAllowedByEmbedder,
  recordingSupport,
} from './guidance.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

let shown = null;
let inApp = null;
let speak = () => {};

const context = () => ({
  family: browserFamily(navigator.userAgent, navigator.maxTouchPoints),
  allowedByEmbedder: microphoneAllowedByEmbedder(),
});

export function renderGuidance() {
  if (inApp) $('in-app-text').textContent = t('inApp', { app: inApp });
  const box = $('guidance');
  box.hidden = !shown;
  if (!shown) return;
  $('guidance-title').textContent = t(shown.title);
  $('guidance-text').textContent = t(shown.text, {
    host: location.host,
    detail: shown.detail ?? '',
  });
  const open = $('guidance-open');
  open.hidden = !shown.openFullPage;
  open.href = `./${location.search}`;
}

/** Takes a getUserMedia error, or a ready { title, text } of i18n keys. */
export function showGuidance(errorOrGuidance, { focus = true } = {}) {
  shown =
    errorOrGuidance instanceof Error || errorOrGuidance?.name
      ? guidanceForMicrophoneError(errorOrGuidance, context())
      : errorOrGuidance;
  renderGuidance();
  speak(`${$('guidance-title').textContent}. ${$('guidance-text').textContent}`);
  if (focus) $('guidance').focus();
}

export function hideGuidance() {
  shown = null;
  renderGuidance();
}

async function copyLink() {
  const status = $('copy-status');
  try {
    await navigator.clipboard.writeText(location.href);
    status.textContent = t('linkCopied');
  } catch {
    // Older in-app browsers have no async clipboard: select the link so a long press copies it.
    const input = $('page-link');
    input.focus();
    input.select();
    status.textContent = document.execCommand?.('copy') ? t('linkCopied') : t('copyFailed');
  }
}

/** Shows what applies before anything is tried; returns recordingSupport(): 'ok' or why not. */
export function initGuidance({ announceNow }) {
  speak = announceNow;
  $('guidance').tabIndex = -1;
  inApp = detectInAppBrowser(navigator.userAgent);
  if (inApp) {
    $('in-app-notice').hidden = false;
    $('page-link').value = location.href;
    $('copy-link').addEventListener('click', copyLink);
  }
  const support = recordingSupport();
  if (support === 'insecure') {
    showGuidance({ title: 'insecureTitle', text: 'insecure' }, { focus: false });
  } else if (support === 'no-recorder') {
    showGuidance({ title: 'noRecorderTitle', text: 'noRecorder' }, { focus: false });
  } else if (!context().allowedByEmbedder) {
    showGuidance(
      { title: 'deniedTitle', text: 'deniedEmbed', openFullPage: true },
      { focus: false },
    );
    return 'blocked-by-embedder';
  } else {
    watchPermission();
  }
  renderGuidance();
  return support;
}

// Chrome and Safari tell whether the microphone is already blocked; say so before the first tap,
// and clear the box once the listener has allowed it.
async function watchPermission() {
  try {
    const status = await navigator.permissions.query({ name: 'microphone' });
    const apply = () => {
      if (status.state === 'denied')
        showGuidance(new DOMException('blocked', 'NotAllowedError'), { focus: false });
      else if (shown?.title === 'deniedTitle') hideGuidance();
    };
    apply();
    status.addEventListener('change', apply);
  } catch {
    // Firefox does not know the 'microphone' permission name.
  }
}
