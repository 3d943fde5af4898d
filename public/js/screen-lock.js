// Keeps a phone's screen on while it records: in most mobile browsers a screen that turns off
// stops the microphone, and the message ends mid-sentence. Where there is no Wake Lock API (or it
// is refused), the page asks the listener to keep the screen on instead.

/** False inside a frame whose embedder did not grant `screen-wake-lock` (asking would be logged). */
function allowedHere(doc) {
  const policy = doc.permissionsPolicy ?? doc.featurePolicy;
  return !policy?.allowsFeature || policy.allowsFeature('screen-wake-lock');
}

export function createScreenLock(nav = navigator, doc = document) {
  let sentinel = null;
  let wanted = false;

  async function acquire() {
    if (!wanted || sentinel || !nav.wakeLock || !allowedHere(doc)) return;
    try {
      const lock = await nav.wakeLock.request('screen');
      lock.addEventListener('release', () => {
        if (sentinel === lock) sentinel = null;
      });
      if (wanted) sentinel = lock;
      else lock.release().catch(() => {});
    } catch {
      // Refused (battery saver, a hidden page): the hint stays.
    }
  }

  // The browser drops the lock when the page is hidden; it is taken again when it comes back.
  const onVisibility = () => {
    if (doc.visibilityState === 'visible') acquire();
  };

  return {
    /** Resolves to whether the screen is held on. */
    async hold() {
      wanted = true;
      doc.addEventListener('visibilitychange', onVisibility);
      await acquire();
      return sentinel !== null;
    },
    release() {
      wanted = false;
      doc.removeEventListener('visibilitychange', onVisibility);
      sentinel?.release().catch(() => {});
      sentinel = null;
    },
  };
}
