// What the listener sees while the message travels: upload percentage, then "processing" while
// the server checks the audio, a countdown before an automatic retry, and refusals with a hint.
import { t } from './i18n.js';
import { fallbackMessageKey, hintFor } from './error-hints.js';

/** Refusals that mean "many at once, wait": not a broken connection. */
const BUSY = new Set(['INTAKE_BUSY', 'TOO_MANY_PARALLEL_UPLOADS']);

export function createSendPanel({ doc = document, announce, announceNow }) {
  const el = {
    area: doc.getElementById('progress-area'),
    bar: doc.getElementById('progress'),
    text: doc.getElementById('progress-text'),
    error: doc.getElementById('send-error'),
    message: doc.getElementById('send-error-message'),
    hint: doc.getElementById('send-error-hint'),
    retry: doc.getElementById('retry'),
    recordAgain: doc.getElementById('error-record-again'),
    startOver: doc.getElementById('start-over'),
  };
  let shown = null; // what render() re-translates after a language switch

  function render() {
    if (!shown) return;
    if (shown.kind === 'uploading') {
      el.bar.value = Math.round(shown.fraction * 100);
      el.text.textContent = t('uploading', { percent: Math.round(shown.fraction * 100) });
    } else if (shown.kind === 'processing') {
      el.bar.removeAttribute('value'); // indeterminate: the server is decoding
      el.text.textContent = t('processing');
    } else if (shown.kind === 'waiting') {
      el.bar.removeAttribute('value');
      el.text.textContent = shown.offline
        ? t('offline')
        : t(BUSY.has(shown.code) ? 'retryingBusy' : 'retrying', { seconds: shown.seconds });
    } else if (shown.kind === 'error') {
      el.hint.textContent = t(hintFor(shown.outcome.code).hint);
      if (!shown.outcome.message) {
        el.message.textContent = t(fallbackMessageKey(shown.outcome.code), shown.params);
      }
    }
  }

  return {
    render,

    started() {
      el.error.hidden = true;
      el.area.hidden = false;
      shown = { kind: 'uploading', fraction: 0 };
      render();
      announce(t('sendingStarted'));
    },

    progress(fraction) {
      if (shown?.kind === 'processing') return;
      shown = { kind: 'uploading', fraction };
      render();
    },

    processing() {
      if (shown?.kind === 'processing') return;
      shown = { kind: 'processing' };
      render();
      announce(t('processing'));
    },

    waiting(seconds, offline, code) {
      shown = { kind: 'waiting', seconds, offline, code };
      render();
      announce(el.text.textContent);
    },

    /** A refusal or a failure after the automatic retries. params fill client-side sentences. */
    failed(outcome, params) {
      el.area.hidden = true;
      shown = { kind: 'error', outcome, params: { status: outcome.status, ...params } };
      el.message.textContent = outcome.message ?? '';
      render();
      const { action } = hintFor(outcome.code);
      el.retry.hidden = action !== 'retry';
      el.recordAgain.hidden = action !== 'record-again';
      el.startOver.hidden = action !== 'start-over';
      el.error.hidden = false;
      announceNow(`${el.message.textContent} ${el.hint.textContent}`);
      // Focus the way forward; the sentence itself is announced above.
      const next = [el.retry, el.recordAgain, el.startOver].find((button) => !button.hidden);
      (next ?? el.error).focus();
    },

    hide() {
      shown = null;
      el.area.hidden = true;
      el.error.hidden = true;
    },
  };
}
