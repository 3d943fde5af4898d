// Checks a chosen file before it is sent, so a listener on a slow connection does not wait for an
// upload the server would refuse. The server checks again (by content, not by name or type).

const AUDIO_EXTENSIONS = [
  'webm',
  'mka',
  'ogg',
  'oga',
  'opus',
  'mp4',
  'm4a',
  'mov',
  '3gp',
  '3ga',
  'mp3',
  'wav',
  'flac',
  'amr',
  'awb',
  'caf',
  'aiff',
  'aif',
  'aifc',
];

const extensionOf = (name) => /\.([a-z0-9]+)$/i.exec(name ?? '')?.[1]?.toLowerCase() ?? '';

/** Type or name must say audio: phones label voice memos audio/x-m4a, WhatsApp's .opus often ''. */
export function looksLikeAudio(file) {
  if (file.type?.startsWith('audio/')) return true;
  // Videos from the camera roll are refused unless their name says audio (e.g. .mp4 voice memos).
  return AUDIO_EXTENSIONS.includes(extensionOf(file.name));
}

/** The length the browser reads from the file's header, or 0 when it cannot tell quickly. */
export function probeDuration(blob, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const audio = new Audio();
    const url = URL.createObjectURL(blob);
    const finish = (seconds) => {
      clearTimeout(timer);
      audio.removeAttribute('src');
      URL.revokeObjectURL(url);
      resolve(Number.isFinite(seconds) && seconds > 0 ? seconds : 0);
    };
    const timer = setTimeout(() => finish(0), timeoutMs);
    audio.preload = 'metadata';
    audio.addEventListener('loadedmetadata', () => finish(audio.duration), { once: true });
    audio.addEventListener('error', () => finish(0), { once: true });
    audio.src = url;
  });
}

/**
 * null when the file may be sent, else { key, params } of the i18n sentence that says why not.
 * durationSeconds is 0 when unknown; the server then decides.
 */
export function fileProblem(file, durationSeconds, limits) {
  if (!looksLikeAudio(file)) return { key: 'fileNotAudio', params: {} };
  const maxMb = Math.floor(limits.maxUploadBytes / 1e6);
  if (file.size > limits.maxUploadBytes) return { key: 'fileTooLarge', params: { maxMb } };
  // One second of slack: containers round their durations.
  if (durationSeconds > limits.maxDurationSeconds + 1) return { key: 'fileTooLong', params: {} };
  return null;
}
