// The "recording" view: opens the microphone, shows the level, the clock and warnings, offers pause
// and stop, and hands the finished recording to onRecorded. The microphone picker lives here too.
import { clock, spokenDuration, t } from './i18n.js';
import { startLevelMeter } from './level-meter.js';
import { listMicrophones, openMicrophone, startRecording } from './recorder.js';
import { createScreenLock } from './screen-lock.js';

const ANNOUNCE_REMAINING_AT = [60, 30, 10];

export function createRecordingPanel({
  doc = document,
  announce,
  onStarted,
  onRecorded,
  onMicError,
}) {
  const el = {
    live: doc.getElementById('rec-live'),
    state: doc.getElementById('rec-state'),
    timer: doc.getElementById('rec-timer'),
    meter: doc.getElementById('meter-fill'),
    warning: doc.getElementById('rec-warning'),
    pause: doc.getElementById('pause'),
    stop: doc.getElementById('stop'),
    picker: doc.getElementById('mic-picker'),
    select: doc.getElementById('mic-select'),
    screenHint: doc.getElementById('rec-screen-hint'),
  };
  const screenLock = createScreenLock(navigator, doc);
  let session = null;
  let maxSeconds = 300;
  let lastWarning = null;

  function renderTimer(elapsed) {
    el.timer.textContent = t('timer', {
      elapsed: clock(elapsed),
      remaining: clock(Math.max(0, maxSeconds - elapsed)),
    });
  }

  function renderPause() {
    const paused = session?.recorder.paused ?? false;
    el.pause.textContent = paused ? t('resume') : t('pause');
    el.state.textContent = paused ? t('paused') : t('recording');
    el.live.classList.toggle('is-paused', paused);
  }

  function showWarning(kind) {
    if (kind === lastWarning) return;
    lastWarning = kind;
    el.warning.hidden = !kind;
    el.warning.textContent =
      kind === 'silent' ? t('warnSilent') : kind === 'quiet' ? t('warnQuiet') : '';
    if (kind) announce(el.warning.textContent);
  }

  async function refreshMicrophones() {
    const inputs = await listMicrophones().catch(() => []);
    // Labels are empty until the listener has allowed the microphone once.
    const usable = inputs.filter((d) => d.deviceId && d.label);
    el.picker.hidden = usable.length < 2;
    const chosen = el.select.value;
    el.select.replaceChildren(
      ...usable.map((device, index) => {
        const option = doc.createElement('option');
        option.value = device.deviceId;
        option.textContent = device.label || t('microphoneN', { n: index + 1 });
        return option;
      }),
    );
    if (usable.some((d) => d.deviceId === chosen)) el.select.value = chosen;
  }
  navigator.mediaDevices?.addEventListener?.('devicechange', () => refreshMicrophones());

  function finish(result) {
    screenLock.release();
    el.live.dataset.screen = 'free';
    el.screenHint.hidden = true;
    session.meter?.stop();
    session.audioContext?.close().catch(() => {});
    session = null;
    showWarning(null);
    el.live.hidden = true;
    if (result.reason === 'limit') announce(t('autoStopped', { max: spokenDuration(maxSeconds) }));
    else if (result.reason === 'track-ended') announce(t('micLost'));
    else announce(t('announceStopped', { duration: clock(result.durationSeconds) }));
    onRecorded(result);
  }

  el.pause.addEventListener('click', () => {
    if (!session) return;
    if (session.recorder.paused) {
      session.recorder.resume();
      session.meter?.resume();
      announce(t('announceResumed'));
    } else {
      session.recorder.pause();
      session.meter?.pause();
      announce(t('announcePaused'));
    }
    renderPause();
  });
  el.stop.addEventListener('click', () => session?.recorder.stop());

  return {
    get active() {
      return session !== null;
    },

    setLimit(seconds) {
      maxSeconds = seconds;
    },

    refreshMicrophones,

    /** Must run inside the click handler: Safari only lets an AudioContext start from a gesture. */
    async start() {
      if (session) return;
      const AudioContextClass = window.AudioContext ?? window.webkitAudioContext;
      const audioContext = AudioContextClass ? new AudioContextClass() : null;
      let stream;
      try {
        stream = await openMicrophone(el.select.value || undefined);
      } catch (error) {
        audioContext?.close().catch(() => {});
        onMicError(error);
        return;
      }
      const remainingAnnounced = new Set();
      session = { audioContext, remainingAnnounced, meter: null, recorder: null };
      session.recorder = startRecording(stream, {
        maxSeconds,
        onTick: (elapsed) => {
          renderTimer(elapsed);
          const remaining = Math.ceil(maxSeconds - elapsed);
          for (const mark of ANNOUNCE_REMAINING_AT) {
            if (remaining <= mark && mark < maxSeconds && !remainingAnnounced.has(mark)) {
              remainingAnnounced.add(mark);
              announce(t('announceRemaining', { remaining: spokenDuration(mark) }));
            }
          }
        },
        onStop: finish,
      });
      if (audioContext) {
        try {
          session.meter = startLevelMeter(stream, audioContext, ({ fraction, warning }) => {
            el.meter.style.setProperty('--level', fraction.toFixed(3));
            showWarning(warning);
          });
        } catch {
          // No meter is better than no recording.
        }
      }
      screenLock.hold().then((held) => {
        if (!session) return;
        el.live.dataset.screen = held ? 'held' : 'hint';
        el.screenHint.hidden = held;
      });
      el.pause.hidden = !session.recorder.canPause;
      renderTimer(0);
      renderPause();
      el.live.hidden = false;
      onStarted();
      announce(t('announceStarted', { max: spokenDuration(maxSeconds) }));
      el.stop.focus();
      refreshMicrophones();
    },

    stop() {
      session?.recorder.stop();
    },

    render() {
      if (!session) return;
      renderTimer(session.recorder.elapsedSeconds());
      renderPause();
      const warning = lastWarning;
      lastWarning = null;
      showWarning(warning);
    },
  };
}
