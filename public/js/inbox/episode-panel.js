// An episode's running order and voice segment: the editor moves clips (buttons, keys or drag),
// renders the segment, follows its progress and downloads the files. The server keeps the order.
import { clock, t } from '../i18n.js';
import { api } from './api.js';
import { drawJingles } from './jingle-list.js';

const POLL_MS = 1000;

export function createEpisodePanel({ root, announce, canEdit }) {
  const $ = (name) => root.querySelector(`[data-part="${name}"]`);
  let episode = '';
  let view = null;
  let polling = null;
  let dragged = null;

  const stopPolling = () => {
    clearTimeout(polling);
    polling = null;
  };

  async function load() {
    const asked = episode;
    try {
      const loaded = await api.episode(asked);
      if (asked === episode) draw(loaded);
    } catch (error) {
      if (asked === episode) showStatus(error.message);
    }
  }

  function showStatus(text) {
    $('status').textContent = text;
  }

  function draw(next) {
    const before = view?.segment.state;
    const previous = view?.newsletter.state;
    view = next;
    drawOrder();
    const { state, progress, outdated, error, rendered } = view.segment;
    root.hidden = view.clips.length === 0;
    $('progress').hidden = state !== 'queued' && state !== 'rendering';
    $('progress').value = progress ?? 0;
    $('render').disabled = state === 'queued' || state === 'rendering' || state === 'empty';
    const status = {
      none: t(outdated ? 'segmentOutdated' : 'segmentNone'),
      queued: t('segmentQueued'),
      rendering: t('segmentRendering', { percent: progress ?? 0 }),
      ready: rendered && t('segmentReady', { duration: clock(rendered.durationSeconds) }),
      failed: t('segmentFailed', { reason: error ?? '' }),
      empty: '',
    }[state];
    showStatus(status ?? '');
    $('downloads').hidden = state !== 'ready';
    for (const link of root.querySelectorAll('[data-file]'))
      link.href = api.segmentFileUrl(episode, link.dataset.file);
    if (before && before !== state && (state === 'ready' || state === 'failed')) announce(status);
    drawJingles($('jingle-list'), view.jingles, { canEdit: canEdit(), onChanged: load, announce });
    const ghostBusy = drawNewsletter(previous);
    stopPolling();
    if (state === 'queued' || state === 'rendering' || ghostBusy)
      polling = setTimeout(load, POLL_MS);
  }

  /** The Ghost draft's part; true while a send is on its way. */
  function drawNewsletter(previous) {
    const { configured, state, cards, left, error, editorUrl, previewUrl } = view.newsletter;
    $('newsletter').hidden = !configured;
    if (!configured) return false;
    const busy = state === 'queued' || state === 'sending' || state === 'retrying';
    $('send-ghost').disabled = busy;
    const status = {
      none: '',
      queued: t('ghostQueued'),
      sending: t('ghostQueued'),
      retrying: t('ghostRetrying', { reason: error ?? '' }),
      sent: t('ghostSent', { n: cards?.length ?? 0 }),
      failed: t('ghostFailed', { reason: error ?? '' }),
    }[state];
    $('ghost-status').textContent = status ?? '';
    $('ghost-links').hidden = !editorUrl;
    if (editorUrl) $('ghost-editor').href = editorUrl;
    $('ghost-preview').hidden = !previewUrl;
    if (previewUrl) $('ghost-preview').href = previewUrl;
    $('ghost-left').hidden = !left?.length;
    $('ghost-left').textContent = left?.length
      ? t('ghostLeft', { names: left.map((l) => l.title).join(', ') })
      : '';
    if (previous && previous !== state && (state === 'sent' || state === 'failed'))
      announce(status);
    return busy;
  }

  function drawOrder() {
    const list = $('order');
    list.replaceChildren(
      ...view.clips.map((clip, index) => {
        const item = document.createElement('li');
        item.draggable = true;
        item.dataset.id = clip.id;
        const label = document.createElement('span');
        label.className = 'episode-clip-title';
        label.textContent = clip.title;
        const length = document.createElement('span');
        length.className = 'hint';
        length.textContent = clip.durationSeconds ? clock(clip.durationSeconds) : '';
        const note = document.createElement('span');
        note.className = 'hint';
        note.textContent =
          view.newsletter.configured && !clip.newsletter ? t('notInNewsletter') : '';
        item.append(
          label,
          note,
          length,
          moveButton('↑', t('moveUp', { title: clip.title }), index, -1),
          moveButton('↓', t('moveDown', { title: clip.title }), index, +1),
        );
        item.addEventListener('dragstart', (event) => {
          dragged = index;
          event.dataTransfer.effectAllowed = 'move';
        });
        item.addEventListener('dragover', (event) => event.preventDefault());
        item.addEventListener('drop', (event) => {
          event.preventDefault();
          if (dragged !== null && dragged !== index) move(dragged, index);
          dragged = null;
        });
        return item;
      }),
    );
  }

  function moveButton(text, label, index, step) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-quiet';
    button.textContent = text;
    button.setAttribute('aria-label', label);
    const target = index + step;
    button.disabled = target < 0 || target >= view.clips.length;
    button.addEventListener('click', () => move(index, target, step));
    return button;
  }

  async function move(from, to, step) {
    const ids = view.clips.map((c) => c.id);
    const [id] = ids.splice(from, 1);
    ids.splice(to, 0, id);
    try {
      draw(await api.orderEpisode(episode, ids));
      announce(t('movedTo', { position: to + 1, n: ids.length }));
      // Keyboard users keep their place on the clip they moved.
      if (step) {
        const moved = $('order').querySelector(`[data-id="${id}"]`);
        const button = moved?.querySelectorAll('button')[step < 0 ? 0 : 1];
        (button && !button.disabled
          ? button
          : moved?.querySelector('button:not(:disabled)')
        )?.focus();
      }
    } catch (error) {
      showStatus(error.message);
    }
  }

  $('send-ghost').addEventListener('click', async () => {
    try {
      draw(await api.sendToGhost(episode));
    } catch (error) {
      $('ghost-status').textContent = error.message;
    }
  });

  $('render').addEventListener('click', async () => {
    try {
      draw(await api.renderSegment(episode));
    } catch (error) {
      showStatus(error.message);
    }
  });

  return {
    show(next) {
      stopPolling();
      episode = next;
      view = null;
      if (!episode) {
        root.hidden = true;
        return;
      }
      load();
    },
    refresh: () => episode && load(),
  };
}
