// One message in full: the player, the decision buttons, episode and note, the listener's fields
// with the consent record, downloads, and (for the owner) deletion.
import { clock, dateTime, t } from '../i18n.js';
import { api } from './api.js';
import { createConversationView } from './conversation-view.js';
import { reviewLabel } from './list-view.js';
import { createTranscriptView } from './transcript-view.js';
import { createWaveformPlayer } from './waveform.js';

const $ = (id) => document.getElementById(id);
const FINAL = ['ready', 'failed'];

export function createDetailView({ announce, onChanged, onErased, canDecide, canDelete }) {
  // Replying speaks for the podcast: the owner's, like deciding what goes on air.
  const conversation = createConversationView({ canReply: canDecide, announce });
  const player = createWaveformPlayer({
    canvas: $('waveform'),
    audio: $('d-audio'),
    playButton: $('d-play'),
    time: $('d-time'),
    speed: $('d-speed'),
  });
  const transcript = createTranscriptView({
    audio: $('d-audio'),
    player,
    announce,
    canTranscribe: () => true,
    showError: (error) => showError(error),
  });
  let current = null;
  let poll = null;

  function fact(term, value) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  }

  function render() {
    const s = current;
    if (!s) return;
    $('detail-name').textContent = s.name;
    const meta = [dateTime(s.receivedAt)];
    if (s.processing.durationSeconds) meta.push(clock(s.processing.durationSeconds));
    if (s.topic) meta.push(s.topic);
    $('detail-meta').textContent = meta.join(' · ');

    const box = $('d-processing');
    const p = s.processing;
    box.className = `notice ${p.state === 'failed' ? 'notice-error' : p.state === 'ready' ? 'notice-info' : 'notice-warning'}`;
    box.replaceChildren(
      document.createTextNode(
        t(`processing_${p.state}`, {
          duration: clock(p.durationSeconds ?? 0),
          lufs: p.outputLoudness?.integratedLufs?.toFixed(1) ?? '–',
          mp3Lufs: p.mp3Loudness?.integratedLufs?.toFixed(1) ?? '–',
          inputLufs: p.inputLoudness?.integratedLufs?.toFixed(1) ?? '–',
          error: p.error ?? '',
        }),
      ),
    );
    // Notes on what the render did, where the author would want to know.
    const note = (text, data, className = 'channel-note') => {
      const span = document.createElement('span');
      span.className = className;
      Object.assign(span.dataset, data);
      span.textContent = ` ${text}`;
      box.append(span);
    };
    const lev = p.leveling;
    if (p.state === 'ready' && p.voiceFound === false) note(t('noVoice'), { note: 'no-voice' });
    // Worth saying only where passages were moved by more than a natural emphasis.
    if (p.state === 'ready' && lev && Math.max(lev.maxBoostDb, lev.maxCutDb) >= 6) {
      const amounts = { boost: lev.maxBoostDb.toFixed(0), cut: lev.maxCutDb.toFixed(0) };
      note(t('leveled', amounts), { note: 'leveled' });
    }
    if (p.state === 'ready' && p.channelMode && p.channelMode !== 'downmix')
      note(t(`channel_${p.channelMode}`), { channelMode: p.channelMode });
    if (p.state === 'ready' && p.noise) noiseNotes(p.noise, s.review.noise ?? 'auto', note, box);
    if (p.state === 'failed') {
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'button button-secondary';
      retry.textContent = t('retry');
      retry.addEventListener('click', () => act(() => api.retry(s.id)));
      box.append(' ', retry);
    }

    const r = s.review;
    $('d-approve').setAttribute('aria-pressed', String(r.state === 'approved'));
    $('d-reject').setAttribute('aria-pressed', String(r.state === 'rejected'));
    $('d-approve').disabled = !canDecide();
    $('d-reject').disabled = !canDecide();
    $('d-star').setAttribute('aria-pressed', String(r.starred));
    const by = r.updatedBy
      ? ` · ${t('reviewBy', { who: r.updatedBy, when: dateTime(r.updatedAt) })}`
      : '';
    $('d-review-state').textContent =
      `${reviewLabel({ review: r.state, episode: r.episode })}${by}`;
    if (document.activeElement !== $('d-episode')) $('d-episode').value = r.episode ?? '';
    if (document.activeElement !== $('d-note')) $('d-note').value = r.note ?? '';
    // Editors mark only what the owner approved (the server's review rules say the same).
    $('d-used').disabled = r.state === 'used' || (!canDecide() && r.state !== 'approved');

    const facts = [
      ...(s.email ? [fact(t('factEmail'), s.email)] : []),
      ...(s.message ? [fact(t('factMessage'), s.message)] : []),
      ...(s.topic ? [fact(t('factTopic'), s.topic)] : []),
      fact(t('factReceived'), dateTime(s.receivedAt)),
      fact(
        t('factConsent'),
        t('consentValue', {
          when: dateTime(s.consent.at),
          version: s.consent.version,
          locale: s.consent.locale,
        }),
      ),
    ];
    $('d-fields').replaceChildren(...facts.flat());

    const ready = p.state === 'ready';
    for (const variant of ['wav', 'mp3']) {
      const link = $(`d-dl-${variant}`);
      link.hidden = !ready;
      link.href = api.audioUrl(s.id, variant);
    }
    $('d-dl-original').href = api.audioUrl(s.id, 'original');
    $('d-delete').hidden = !canDelete();
    conversation.show(s);
    player.render();
  }

  // What the noise stage did, and the switch between the cleaned clip and the original render.
  function noiseNotes(noise, choice, note, box) {
    if (noise.untouched === 'disabled') return;
    const said = (text, kind) => note(text, { note: kind }, 'noise-note');
    if (noise.untouched === 'original') said(t('noiseOriginal'), 'noise-original');
    if (noise.reducedDb) said(t('noiseReduced', { db: noise.reducedDb.toFixed(0) }), 'noise');
    if (noise.model) said(t('noiseModel', { model: noise.model }), 'noise');
    if (noise.humHz) said(t('humRemoved', { hz: noise.humHz }), 'hum');
    const touched = noise.reducedDb || noise.model || noise.humHz;
    if (!touched && choice === 'auto') return;
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.id = 'd-noise-toggle';
    toggle.className = 'button button-secondary';
    const next = choice === 'auto' ? 'original' : 'auto';
    toggle.textContent = t(next === 'original' ? 'noiseToOriginal' : 'noiseToAuto');
    toggle.addEventListener('click', () =>
      act(async () => {
        current = await api.review(current.id, { noise: next });
      }),
    );
    box.append(' ', toggle);
  }

  function showError(error) {
    $('d-error').hidden = !error;
    $('d-error').textContent = error ? error.message : '';
  }

  async function act(run) {
    showError(null);
    try {
      await run();
      await refresh();
      onChanged(current);
    } catch (error) {
      showError(error);
    }
  }

  async function review(change) {
    if (!current) return;
    await act(async () => {
      current = await api.review(current.id, change);
      announce(
        t('announceReview', {
          name: current.name,
          state: reviewLabel({ review: current.review.state, episode: current.review.episode }),
        }),
      );
    });
  }

  async function refresh() {
    if (!current) return;
    const before = current.processing.state;
    const transcriptBefore = current.transcript?.state;
    current = await api.get(current.id);
    // Rendered again (the noise switch): the player takes the new clip and waveform.
    if (before !== 'ready' && current.processing.state === 'ready') return open(current.id);
    render();
    if (current.transcript?.state !== transcriptBefore) await transcript.load(current.id);
    clearTimeout(poll);
    // Live processing and transcribing: look again while a worker is busy with it.
    if (!FINAL.includes(current.processing.state) || transcript.isPending(current.transcript))
      poll = setTimeout(() => refresh().then(() => onChanged(current)), 2000);
  }

  let opening = 0;
  async function open(id) {
    const ticket = ++opening;
    clearTimeout(poll);
    showError(null);
    const submission = await api.get(id);
    if (ticket !== opening) return; // another message was opened meanwhile
    current = submission;
    const ready = current.processing.state === 'ready';
    player.load(api.audioUrl(id, ready ? 'mp3' : 'original'), []);
    render();
    $('detail').hidden = false;
    await transcript.load(id).catch((error) => showError(error));
    if (ticket !== opening) return;
    if (!FINAL.includes(current.processing.state) || transcript.isPending(current.transcript))
      await refresh();
    // The waveform follows when its peaks arrive; the rest is usable before.
    const peaks = ready ? await api.peaks(id).catch(() => null) : null;
    if (ticket === opening && peaks) player.setPeaks(peaks.data);
  }

  function close() {
    clearTimeout(poll);
    current = null;
    conversation.hide();
    transcript.hide();
    player.load(null, []);
    $('detail').hidden = true;
  }

  $('d-approve').addEventListener('click', () => review({ state: 'approved' }));
  $('d-reject').addEventListener('click', () => review({ state: 'rejected' }));
  $('d-star').addEventListener('click', () => review({ starred: !current?.review.starred }));
  $('d-episode-save').addEventListener('click', () =>
    review({ episode: $('d-episode').value.trim() || null }),
  );
  $('d-used').addEventListener('click', () => {
    const episode = $('d-episode').value.trim();
    review(episode ? { state: 'used', episode } : { state: 'used' });
  });
  $('d-note-save').addEventListener('click', () => review({ note: $('d-note').value || null }));
  $('d-delete').addEventListener('click', async () => {
    if (!current || !window.confirm(t('deleteConfirm', { name: current.name }))) return;
    try {
      const { erased } = await api.erase(current.id);
      announce(t('deleted', { name: current.name, objects: erased.objectsDeleted }));
      const ids = [current.id, ...(erased.threadErased ?? [])];
      close();
      onErased(ids);
    } catch (error) {
      showError(error);
    }
  });

  return {
    open,
    close,
    render,
    review,
    togglePlay: () => player.toggle(),
    get current() {
      return current;
    },
  };
}
