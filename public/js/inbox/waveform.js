// The detail view's player: the stored waveform peaks drawn on a canvas, played part in the accent
// colour, seek by click or by the arrow keys (the canvas is a slider for assistive technology).
import { clock, t } from '../i18n.js';

export function createWaveformPlayer({ canvas, audio, playButton, time, speed }) {
  let peaks = [];

  const duration = () => (Number.isFinite(audio.duration) ? audio.duration : 0);

  function draw() {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    const context = canvas.getContext('2d');
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const played = style.getPropertyValue('--wave-played').trim() || '#444';
    const rest = style.getPropertyValue('--wave-rest').trim() || '#bbb';
    const progress = duration() > 0 ? audio.currentTime / duration() : 0;
    const bars = Math.max(1, Math.floor(width / 3));
    for (let i = 0; i < bars; i++) {
      const from = Math.floor((i * peaks.length) / bars);
      const to = Math.max(from + 1, Math.floor(((i + 1) * peaks.length) / bars));
      let max = 0;
      for (let j = from; j < to && j < peaks.length; j++) max = Math.max(max, peaks[j]);
      const bar = Math.max(1, max * (height - 4));
      context.fillStyle = i / bars < progress ? played : rest;
      context.fillRect(i * 3, (height - bar) / 2, 2, bar);
    }
  }

  function render() {
    const total = duration();
    const current = audio.currentTime || 0;
    time.textContent = `${clock(current)} / ${clock(total)}`;
    canvas.setAttribute('aria-valuemax', String(Math.round(total)));
    canvas.setAttribute('aria-valuenow', String(Math.round(current)));
    canvas.setAttribute(
      'aria-valuetext',
      t('timeOf', { current: clock(current), total: clock(total) }),
    );
    const playing = !audio.paused && !audio.ended;
    playButton.classList.toggle('is-playing', playing);
    playButton.setAttribute('aria-label', playing ? t('pausePlayback') : t('play'));
    draw();
  }

  const seekTo = (seconds) => {
    if (duration() > 0) audio.currentTime = Math.min(Math.max(0, seconds), duration());
  };

  canvas.addEventListener('click', (event) => {
    const box = canvas.getBoundingClientRect();
    seekTo(((event.clientX - box.left) / box.width) * duration());
  });
  canvas.addEventListener('keydown', (event) => {
    const steps = { ArrowLeft: -5, ArrowRight: 5, ArrowDown: -5, ArrowUp: 5 };
    if (event.key in steps) seekTo(audio.currentTime + steps[event.key]);
    else if (event.key === 'Home') seekTo(0);
    else if (event.key === 'End') seekTo(duration());
    else return;
    event.preventDefault();
    event.stopPropagation();
  });
  playButton.addEventListener('click', () => toggle());
  speed.addEventListener('change', () => (audio.playbackRate = Number(speed.value)));
  for (const name of ['timeupdate', 'play', 'pause', 'ended', 'durationchange', 'loadedmetadata']) {
    audio.addEventListener(name, render);
  }
  window.addEventListener('resize', draw);

  function toggle() {
    if (!audio.src) return;
    if (audio.paused || audio.ended) audio.play().catch(() => render());
    else audio.pause();
  }

  return {
    load(src, peakData) {
      audio.pause();
      peaks = peakData ?? [];
      if (src) {
        audio.src = src;
        audio.preload = 'metadata';
        audio.playbackRate = Number(speed.value);
      } else {
        audio.removeAttribute('src');
      }
      audio.load();
      render();
    },
    setPeaks(peakData) {
      peaks = peakData ?? [];
      draw();
    },
    /** Moves the playhead (the transcript's segments); before the metadata, where it starts. */
    seek(seconds) {
      audio.currentTime = Math.max(0, seconds);
      render();
    },
    toggle,
    render,
  };
}
