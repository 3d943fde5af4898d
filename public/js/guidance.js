// Recognises the situations in which recording cannot work and says what the listener can do.
// Pure functions of the user agent / error, so each case can be reasoned about on its own.

const IN_APP_BROWSERS = [
  [/Instagram/i, 'Instagram'],
  [/FBAN|FBAV|FB_IAB|FBIOS/, 'Facebook'],
  [/LinkedInApp/i, 'LinkedIn'],
  [/musical_ly|BytedanceWebview|TikTok/i, 'TikTok'],
];

/** The app whose built-in browser shows the page, or null in a normal browser. */
export function detectInAppBrowser(userAgent) {
  for (const [pattern, name] of IN_APP_BROWSERS) if (pattern.test(userAgent)) return name;
  return null;
}

/** Which browser's menus to describe for a blocked microphone. */
export function browserFamily(userAgent, maxTouchPoints = 0) {
  if (/Firefox|FxiOS/.test(userAgent)) return 'firefox';
  // iPadOS reports itself as a Mac; its touch points give it away.
  const iOS =
    /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && maxTouchPoints > 1);
  if (iOS) return 'safari-ios'; // every iOS browser uses Safari's engine and permission model
  if (/Chrome|Chromium|CriOS|Edg\/|SamsungBrowser|OPR\//.test(userAgent)) return 'chrome';
  if (/Safari/.test(userAgent)) return 'safari-mac';
  return 'other';
}

const DENIED_HELP = {
  firefox: 'deniedFirefox',
  'safari-ios': 'deniedSafariIos',
  'safari-mac': 'deniedSafariMac',
  chrome: 'deniedChrome',
  other: 'deniedOther',
};

/** What the page can do here, checked once at start. */
export function recordingSupport(win = window) {
  if (!win.isSecureContext || !win.navigator.mediaDevices?.getUserMedia) return 'insecure';
  if (typeof win.MediaRecorder !== 'function') return 'no-recorder';
  return 'ok';
}

/** False when an embedding page did not grant `allow="microphone"` to our iframe. */
export function microphoneAllowedByEmbedder(doc = document) {
  const policy = doc.permissionsPolicy ?? doc.featurePolicy;
  if (!policy?.allowsFeature) return true;
  return policy.allowsFeature('microphone');
}

/**
 * The guidance for a failed getUserMedia: i18n keys for a title and the explanation, and whether
 * opening the full page would help (a blocked iframe).
 */
export function guidanceForMicrophoneError(error, context) {
  const name = error?.name ?? '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    if (!context.allowedByEmbedder) {
      return { title: 'deniedTitle', text: 'deniedEmbed', openFullPage: true };
    }
    return { title: 'deniedTitle', text: DENIED_HELP[context.family] ?? 'deniedOther' };
  }
  if (
    name === 'NotFoundError' ||
    name === 'DevicesNotFoundError' ||
    name === 'OverconstrainedError'
  ) {
    return { title: 'notFoundTitle', text: 'notFound' };
  }
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') {
    return { title: 'busyTitle', text: 'busy' };
  }
  return { title: 'micFailedTitle', text: 'micFailed', detail: name || String(error) };
}
