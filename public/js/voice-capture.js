// A compact recorder for a reply and for a listener's answer to it: record with a level meter, stop,
// listen back, record again, or pick a file instead. The public page's guided recorder is larger;
// this one shares its capture (recorder.js) and its meter (level-meter.js).
import { clock, t } from './i18n.js';
import { startLevelMeter } from './level-meter.js';
import { extensionFor, openMicrophone, startRecording } from './recorder.js';

function element(tag, props = {}, children = []) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el) el[key] = value;
    else el.setAttribute(key, value);
  }
  el.append(...children);
  return el;
}

/**
 * Renders into `container`; `onChange(recording | null)` hears about each new take. The take is
 * { blob, filename, durationSeconds } (a recording or a chosen file).
 */
export function createVoiceCapture(container, { maxSeconds = 300, onChange = () => {} } = {}) {
  const record = element('button', {
    type: 'button',
    className: 'button',
    dataset: { role: 'record' },
  });
  const stop = element('button', {
    type: 'button',
    className: 'button',
    hidden: true,
    dataset: { role: 'stop' },
  });
  const timer = element('span', { className: 'vc-timer', dataset: { role: 'timer' } });
  const fill = element('div', { className: 'meter-fill' });
  const meter = element('div', { className: 'meter', hidden: true, 'aria-hidden': 'true' }, [fill]);
  const audio = element('audio', { controls: true, hidden: true, preload: 'metadata' });
  const fileInput = element('input', {
    type: 'file',
    accept: 'audio/*',
    dataset: { role: 'file' },
  });
  const fileLabel = element('label', { className: 'vc-file' }, [element('span'), fileInput]);
  const problem = element('p', { className: 'vc-problem', hidden: true, role: 'alert' });
  container.replaceChildren(
    element('div', { className: 'vc-controls' }, [record, stop, timer]),
    meter,
    audio,
    fileLabel,
    problem,
  );

  let take = null;
  let session = null;
  let objectUrl = null;

  function label() {
    record.textContent = take ? t('vcRecordAgain') : t('vcRecord');
    stop.textContent = t('vcStop');
    fileLabel.firstChild.textContent = `${t('vcOrFile')} `;
  }

  function setTake(next) {
    take = next;
    if (objectUrl) URL.revokeObjectURL(objectUrl);
    objectUrl = take ? URL.createObjectURL(take.blob) : null;
    audio.hidden = !take;
    if (objectUrl) audio.src = objectUrl;
    else audio.removeAttribute('src');
    timer.textContent = take?.durationSeconds ? clock(take.durationSeconds) : '';
    label();
    onChange(take);
  }

  function showProblem(text) {
    problem.hidden = !text;
    problem.textContent = text ?? '';
  }

  record.addEventListener('click', async () => {
    showProblem(null);
    // Must start inside the click: Safari only lets an AudioContext start from a gesture.
    const AudioContextClass = window.AudioContext ?? window.webkitAudioContext;
    const audioContext = AudioContextClass ? new AudioContextClass() : null;
    let stream;
    try {
      stream = await openMicrophone();
    } catch (error) {
      audioContext?.close();
      showProblem(error?.name === 'NotAllowedError' ? t('vcMicDenied') : t('vcMicMissing'));
      return;
    }
    fileInput.value = '';
    let level = null;
    try {
      if (audioContext)
        level = startLevelMeter(stream, audioContext, ({ fraction }) =>
          fill.style.setProperty('--level', fraction.toFixed(3)),
        );
    } catch {
      // No meter is better than no recording.
    }
    meter.hidden = false;
    record.hidden = true;
    stop.hidden = false;
    stop.focus();
    const recorder = startRecording(stream, {
      maxSeconds,
      onTick: (elapsed) => {
        timer.textContent = `● ${clock(elapsed)}`;
      },
      onStop: ({ blob, mimeType, durationSeconds }) => {
        level?.stop();
        audioContext?.close();
        session = null;
        meter.hidden = true;
        stop.hidden = true;
        record.hidden = false;
        setTake({ blob, filename: `recording.${extensionFor(mimeType)}`, durationSeconds });
      },
    });
    session = { recorder };
  });

  stop.addEventListener('click', () => session?.recorder.stop());

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) setTake({ blob: file, filename: file.name || 'audio', durationSeconds: 0 });
  });

  label();
  return {
    get take() {
      return take;
    },
    get recording() {
      return session !== null;
    },
    reset() {
      fileInput.value = '';
      setTake(null);
    },
    relabel: label,
  };
}

/** The component's texts, for pages that use it. */
export const VOICE_CAPTURE_TEXTS = {
  de: {
    vcRecord: 'Aufnehmen',
    vcRecordAgain: 'Neu aufnehmen',
    vcStop: 'Aufnahme beenden',
    vcOrFile: 'oder eine Audiodatei wählen:',
    vcMicDenied: 'Der Zugriff aufs Mikrofon wurde nicht erlaubt.',
    vcMicMissing: 'Es wurde kein Mikrofon gefunden.',
  },
  en: {
    vcRecord: 'Record',
    vcRecordAgain: 'Record again',
    vcStop: 'Stop recording',
    vcOrFile: 'or choose an audio file:',
    vcMicDenied: 'Access to the microphone was not allowed.',
    vcMicMissing: 'No microphone was found.',
  },
};
