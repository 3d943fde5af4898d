// Microphone capture with MediaRecorder: the best container the browser offers, a clock that
// excludes pauses, and a stop at the length limit. Recording without a timeslice, so Chrome writes
// the duration into the WebM header and playback gets a working seek bar.

// Opus in WebM (Chrome, Firefox, Edge, new Safari), AAC in MP4 (Safari), Opus in Ogg (old
// Firefox). The server accepts all of them; the order only prefers the smaller, better codec.
const CANDIDATE_TYPES = [
  'audio/webm;codecs=opus',
  'audio/mp4;codecs=mp4a.40.2',
  'audio/mp4',
  'audio/ogg;codecs=opus',
  'audio/webm',
  'audio/ogg',
];

export function pickMimeType(isTypeSupported = (type) => MediaRecorder.isTypeSupported(type)) {
  for (const type of CANDIDATE_TYPES) {
    try {
      if (isTypeSupported(type)) return type;
    } catch {
      // Some in-app browsers throw instead of answering false.
    }
  }
  return ''; // let the browser choose
}

export function extensionFor(mimeType) {
  if (mimeType.startsWith('audio/mp4') || mimeType.startsWith('video/mp4')) return 'm4a';
  if (mimeType.includes('ogg')) return 'ogg';
  return 'webm';
}

/** Mono speech with the browser's voice processing; a chosen device if one was picked. */
export async function openMicrophone(deviceId) {
  const audio = {
    channelCount: 1,
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  };
  if (deviceId) audio.deviceId = { exact: deviceId };
  try {
    return await navigator.mediaDevices.getUserMedia({ audio });
  } catch (error) {
    // A remembered device that is gone: fall back to the default one.
    if (deviceId && (error.name === 'OverconstrainedError' || error.name === 'NotFoundError')) {
      return openMicrophone(undefined);
    }
    throw error;
  }
}

export async function listMicrophones() {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'audioinput');
}

/**
 * Starts recording the stream. Calls onTick(elapsedSeconds) a few times a second and, once,
 * onStop({ blob, mimeType, durationSeconds, reason }) with reason 'user' | 'limit' | 'track-ended'.
 * The microphone is released when the recording stops.
 */
export function startRecording(stream, { maxSeconds, onTick, onStop }) {
  const preferred = pickMimeType();
  const recorder = new MediaRecorder(stream, preferred ? { mimeType: preferred } : undefined);
  const chunks = [];
  let accumulatedMs = 0;
  let runningSince = performance.now();
  let reason = 'user';
  let stopped = false;

  const elapsedSeconds = () =>
    (accumulatedMs + (runningSince === null ? 0 : performance.now() - runningSince)) / 1000;

  const stop = (why) => {
    if (stopped) return;
    stopped = true;
    reason = why;
    if (runningSince !== null) accumulatedMs += performance.now() - runningSince;
    runningSince = null;
    clearInterval(ticker);
    if (recorder.state !== 'inactive') recorder.stop();
  };

  const ticker = setInterval(() => {
    const elapsed = elapsedSeconds();
    onTick(elapsed);
    if (elapsed >= maxSeconds) stop('limit');
  }, 200);

  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) chunks.push(event.data);
  });
  recorder.addEventListener('stop', () => {
    for (const track of stream.getTracks()) track.stop();
    const mimeType = recorder.mimeType || preferred || chunks[0]?.type || 'audio/webm';
    onStop({
      blob: new Blob(chunks, { type: mimeType }),
      mimeType,
      durationSeconds: Math.min(accumulatedMs / 1000, maxSeconds),
      reason,
    });
  });
  // A phone call or an unplugged headset ends the track: keep what was recorded so far.
  for (const track of stream.getAudioTracks()) {
    track.addEventListener('ended', () => stop('track-ended'));
  }
  recorder.start();

  return {
    canPause: typeof recorder.pause === 'function',
    get paused() {
      return recorder.state === 'paused';
    },
    pause() {
      if (recorder.state !== 'recording') return;
      recorder.pause();
      accumulatedMs += performance.now() - runningSince;
      runningSince = null;
    },
    resume() {
      if (recorder.state !== 'paused') return;
      recorder.resume();
      runningSince = performance.now();
    },
    stop: () => stop('user'),
    elapsedSeconds,
  };
}
