// The Android back button (or a swipe back) during a recording would leave the page and lose the
// recording. While one runs, the page holds one extra history entry of its own; going back stops
// the recording and keeps it, as the stop button would.

export function createBackGuard(win = window) {
  let armed = false;
  let onBack = null;
  win.addEventListener('popstate', () => {
    if (!armed) return;
    armed = false;
    onBack?.();
  });
  return {
    arm(callback) {
      if (armed) return;
      armed = true;
      onBack = callback;
      win.history.pushState({ halloRecording: true }, '');
    },
    /** The recording ended some other way: the extra entry goes again. */
    disarm() {
      if (!armed) return;
      armed = false;
      if (win.history.state?.halloRecording) win.history.back();
    },
  };
}
