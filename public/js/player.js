// Playback before sending, with our own controls: a play button, a seek slider and the time. The
// length comes from the media when it knows it, else from the recording clock, because some
// recordings (WebM written in pieces, fragmented MP4, some uploads) carry no usable duration.
import { clock, t } from './i18n.js';

export function createPlayer({ root, audio, playButton, seek, time }) {
  let url = null;
  let knownDuration = 0;
  let probingDuration = false;

  // WebKit reports only the first fragment of its own fragmented MP4 recordings (about 1 s) until
  // the end has played, so a media length plainly below the recording clock is not believed.
  const duration = () => {
    const media = audio.duration;
    if (!Number.isFinite(media) || media <= 0) return knownDuration;
    return media < knownDuration * 0.9 ? knownDuration : media;
  };

  function render() {
    const total = duration();
    const current = Math.min(audio.currentTime || 0, total || Infinity);
    seek.max = String(total || 0);
    seek.value = String(current);
    seek.disabled = !(total > 0);
    const text = t('timeOf', { current: clock(current), total: clock(total) });
    seek.setAttribute('aria-valuetext', text);
    time.textContent = `${clock(current)} / ${clock(total)}`;
    const playing = !audio.paused && !audio.ended;
    playButton.setAttribute('aria-label', playing ? t('pausePlayback') : t('play'));
    playButton.classList.toggle('is-playing', playing);
  }

  function setState(state) {
    root.dataset.playback = state;
    render();
  }

  // Chrome's trick for a header without duration: seeking far past the end makes it scan the file.
  function probeDuration() {
    if (audio.duration !== Infinity || probingDuration) return;
    probingDuration = true;
    const done = () => {
      audio.removeEventListener('durationchange', done);
      probingDuration = false;
      audio.currentTime = 0;
      render();
    };
    audio.addEventListener('durationchange', done);
    audio.currentTime = 1e101;
  }

  audio.addEventListener('loadedmetadata', () => {
    probeDuration();
    render();
  });
  audio.addEventListener('durationchange', render);
  audio.addEventListener('timeupdate', render);
  audio.addEventListener('play', () => setState('playing'));
  audio.addEventListener('pause', () => {
    if (url) setState(audio.ended ? 'ended' : 'paused');
  });
  audio.addEventListener('ended', () => setState('ended'));

  playButton.addEventListener('click', () => {
    if (audio.paused || audio.ended) {
      audio.play().catch(() => setState('paused'));
    } else {
      audio.pause();
    }
  });
  seek.addEventListener('input', () => {
    const target = Number(seek.value);
    if (Number.isFinite(target)) audio.currentTime = Math.min(target, duration());
  });

  return {
    load(blob, durationSeconds) {
      this.unload();
      knownDuration = durationSeconds || 0;
      url = URL.createObjectURL(blob);
      audio.src = url;
      audio.load();
      setState('paused');
    },
    unload() {
      audio.pause();
      if (url) URL.revokeObjectURL(url);
      url = null;
      knownDuration = 0;
      audio.removeAttribute('src');
      audio.load();
      setState('empty');
    },
    /** The best known length in seconds (0 when unknown). */
    duration,
    render,
  };
}
