// Live input level from an AnalyserNode, and a watch for silent or very quiet input so the listener
// learns about a wrong or muted microphone while recording, not after sending.

const FLOOR_DB = -60; // shown as an empty meter
const SILENT_DB = -55; // below this nothing useful is arriving
const QUIET_DB = -38; // speech peaks that never pass this are too quiet to air well
const SILENT_AFTER_MS = 3000;
const QUIET_AFTER_MS = 5000;

/** RMS level of a block of samples in dBFS. */
export function levelDb(samples) {
  let sum = 0;
  for (const s of samples) sum += s * s;
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

/** 0…1 for drawing: -60 dB and below is empty, 0 dB is full. */
export function meterFraction(db) {
  if (!Number.isFinite(db)) return 0;
  return Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
}

/**
 * Tracks when the input was last audible and last loud enough; returns 'silent', 'quiet' or null.
 * Pure, so the thresholds can be reasoned about without a microphone.
 */
export function createLoudnessWatch(now) {
  let lastAudible = now;
  let lastLoud = now;
  return {
    update(db, time) {
      if (db > SILENT_DB) lastAudible = time;
      if (db > QUIET_DB) lastLoud = time;
      if (time - lastAudible >= SILENT_AFTER_MS) return 'silent';
      if (time - lastLoud >= QUIET_AFTER_MS) return 'quiet';
      return null;
    },
    reset(time) {
      lastAudible = time;
      lastLoud = time;
    },
  };
}

/**
 * Feeds onFrame({ fraction, warning }) about ten times a second while running. A timer rather than
 * requestAnimationFrame: the warning must keep working when the tab is not being painted.
 */
export function startLevelMeter(stream, audioContext, onFrame) {
  const source = audioContext.createMediaStreamSource(stream);
  const analyser = audioContext.createAnalyser();
  analyser.fftSize = 2048;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const watch = createLoudnessWatch(performance.now());
  let paused = false;

  const timer = setInterval(() => {
    if (paused) return;
    analyser.getFloatTimeDomainData(samples);
    const db = levelDb(samples);
    onFrame({ fraction: meterFraction(db), warning: watch.update(db, performance.now()) });
  }, 100);

  return {
    pause() {
      paused = true;
      onFrame({ fraction: 0, warning: null });
    },
    resume() {
      paused = false;
      watch.reset(performance.now());
    },
    stop() {
      clearInterval(timer);
      source.disconnect();
    },
  };
}
