// The inbox: sign in, filter and page through messages, open one (#/s/<id>), decide with the
// keyboard. State lives here; the list, the detail view and the API client are modules of their own.
import * as i18n from '../i18n.js';
import { applyAccent } from '../theme.js';
import { api, whenSignedOut } from './api.js';
import { createDetailView } from './detail-view.js';
import { createEpisodePanel } from './episode-panel.js';
import { renderList } from './list-view.js';
import { INBOX_TEXTS } from './texts.js';
import { VOICE_CAPTURE_TEXTS } from '../voice-capture.js';

const { t } = i18n;
const $ = (id) => document.getElementById(id);

const state = {
  me: null,
  items: [],
  nextCursor: null,
  filters: { review: 'new', starred: false, episode: '', q: '' },
  selectedId: null,
};

const announce = (text) => {
  const region = $('announce');
  region.textContent = region.textContent === text ? `${text}\u00a0` : text;
};

const detail = createDetailView({
  announce,
  canDecide: () => state.me?.role === 'owner',
  canDelete: () => state.me?.role === 'owner',
  onChanged: (submission) => {
    updateRow(submission);
    episodePanel.refresh();
  },
  onErased: (ids) => {
    state.items = state.items.filter((item) => !ids.includes(item.id));
    state.selectedId = null;
    history.replaceState(null, '', '#/');
    drawList();
    episodePanel.refresh();
  },
});

// ---- texts -------------------------------------------------------------------------------------

function renderTexts() {
  i18n.translateDocument();
  document.documentElement.lang = i18n.getLocale();
  document.title = `${t('inboxTitle')} – hallo`;
  for (const button of document.querySelectorAll('[data-locale]')) {
    button.setAttribute('aria-pressed', String(button.dataset.locale === i18n.getLocale()));
  }
  if (state.me) $('who-role').textContent = t(`role_${state.me.role}`);
  renderBundleBar();
  drawList();
  detail.render();
}

// ---- signing in and out ------------------------------------------------------------------------

function showSignIn(message) {
  state.me = null;
  $('loading').hidden = true;
  $('inbox').hidden = true;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').hidden = !message;
  $('sign-in-error').textContent = message ?? '';
  $('sign-in-email').focus();
}

async function showInbox(me) {
  state.me = me;
  $('loading').hidden = true;
  $('sign-in').hidden = true;
  $('inbox').hidden = false;
  $('who').hidden = false;
  $('sign-out').hidden = me.kind !== 'session';
  $('erasure').hidden = me.role !== 'owner';
  $('who-name').textContent = me.email;
  renderTexts();
  await loadList();
  await route();
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = $('sign-in-email').value.trim();
  const password = $('sign-in-password').value;
  if (!email || !password) return showSignIn(t('signInMissing'));
  $('sign-in-submit').disabled = true;
  try {
    await api.signIn(email, password);
    $('sign-in-password').value = '';
    await showInbox(await api.me());
  } catch (error) {
    showSignIn(error.message);
  } finally {
    $('sign-in-submit').disabled = false;
  }
});

$('sign-out').addEventListener('click', async () => {
  await api.signOut().catch(() => {});
  detail.close();
  showSignIn(t('signedOut'));
});

whenSignedOut(() => {
  detail.close();
  showSignIn(t('sessionEnded'));
});

// ---- the list ----------------------------------------------------------------------------------

function query(cursor) {
  const { review, starred, episode, q } = state.filters;
  return {
    limit: '50',
    ...(review && { review }),
    ...(starred && { starred: 'true' }),
    ...(episode && { episode }),
    ...(q && { q }),
    ...(cursor && { cursor }),
  };
}

function drawList() {
  renderList($('list'), state.items, state.selectedId);
  $('list-empty').hidden = state.items.length > 0;
  $('more').hidden = !state.nextCursor;
}

let listPoll = null;
async function loadList({ append = false, quiet = false } = {}) {
  clearTimeout(listPoll);
  $('list-error').hidden = true;
  try {
    const page = await api.list(query(append ? state.nextCursor : undefined));
    state.items = append ? [...state.items, ...page.items] : page.items;
    state.nextCursor = page.nextCursor;
    drawList();
    if (!append && !quiet) announce(t('listCount', { n: state.items.length }));
  } catch (error) {
    if (error.status === 401) return;
    $('list-error').hidden = false;
    $('list-error').textContent = error.message;
  }
  // New messages arrive and the worker finishes others: look again now and then.
  listPoll = setTimeout(() => !append && refreshListQuietly(), 10000);
}

async function refreshListQuietly() {
  if (!state.me || document.hidden) {
    listPoll = setTimeout(refreshListQuietly, 10000);
    return;
  }
  const focused = document.activeElement?.closest?.('#list')
    ? document.activeElement.dataset.id
    : null;
  await loadList();
  if (focused) document.querySelector(`#list [data-id="${focused}"]`)?.focus();
}

function updateRow(submission) {
  const item = state.items.find((i) => i.id === submission.id);
  if (!item) return;
  Object.assign(item, {
    review: submission.review.state,
    starred: submission.review.starred,
    episode: submission.review.episode,
    processing: submission.processing.state,
    durationSeconds: submission.processing.durationSeconds,
    peaksPreview: submission.processing.peaksPreview ?? item.peaksPreview,
  });
  drawList();
}

const episodePanel = createEpisodePanel({
  root: $('episode-panel'),
  announce,
  canEdit: () => state.me?.role === 'owner',
});

function renderBundleBar() {
  const episode = state.filters.episode;
  $('bundle-bar').hidden = !episode;
  episodePanel.show(episode);
  if (!episode) return;
  $('bundle-text').textContent = t('bundleText', { episode });
  $('bundle-link').href = api.bundleUrl(episode);
}

for (const chip of document.querySelectorAll('[data-review]')) {
  chip.addEventListener('click', () => {
    state.filters.review = chip.dataset.review;
    for (const other of document.querySelectorAll('[data-review]')) {
      other.setAttribute('aria-pressed', String(other === chip));
    }
    loadList();
  });
}
$('filter-starred').addEventListener('change', (event) => {
  state.filters.starred = event.target.checked;
  loadList();
});
let typing = null;
for (const [id, key] of [
  ['filter-episode', 'episode'],
  ['filter-q', 'q'],
]) {
  $(id).addEventListener('input', (event) => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.filters[key] = event.target.value.trim();
      renderBundleBar();
      loadList();
    }, 250);
  });
}
$('filters').addEventListener('submit', (event) => event.preventDefault());

// After the edit: every approved clip of the episode is marked as used in it.
$('bundle-used').addEventListener('click', async () => {
  const episode = state.filters.episode;
  let message;
  try {
    const page = await api.list({ episode, review: 'approved', limit: '200' });
    for (const item of page.items) await api.review(item.id, { state: 'used', episode });
    message = t('bundleMarked', { n: page.items.length, episode });
  } catch (error) {
    message = error.message;
  }
  // The list's own "N messages" must not talk over what was just done.
  await loadList({ quiet: true });
  announce(message);
});

$('erasure-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = $('erasure-email').value.trim();
  if (!email || !window.confirm(t('erasureConfirm', { email }))) return;
  try {
    const { count, erased } = await api.eraseByEmail(email);
    $('erasure-result').textContent = t('erasureDone', { n: count, email });
    const gone = new Set(erased.map((report) => report.id));
    state.items = state.items.filter((item) => !gone.has(item.id));
    if (gone.has(state.selectedId)) location.hash = '#/';
    drawList();
    $('erasure-email').value = '';
  } catch (error) {
    $('erasure-result').textContent = error.message;
  }
});
$('more').addEventListener('click', () => loadList({ append: true }));

// ---- routing: #/s/<id> opens a message ---------------------------------------------------------

async function route() {
  const id = /^#\/s\/([0-9A-Z]{26})$/.exec(location.hash)?.[1] ?? null;
  state.selectedId = id;
  drawList();
  if (!id) return detail.close();
  try {
    await detail.open(id);
  } catch (error) {
    if (error.status !== 401) announce(error.message);
  }
}
window.addEventListener('hashchange', () => route().then(() => $('detail-name').focus()));

function step(offset) {
  if (state.items.length === 0) return;
  const index = state.items.findIndex((item) => item.id === state.selectedId);
  const next = state.items[Math.min(state.items.length - 1, Math.max(0, index + offset))];
  if (next) location.hash = `#/s/${next.id}`;
}

// Shortcuts for the common path; never while typing in a field.
document.addEventListener('keydown', (event) => {
  if (!state.me || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest?.('input, textarea, select, [role="slider"]')) return;
  const actions = {
    ' ': () => detail.togglePlay(),
    j: () => step(1),
    k: () => step(-1),
    a: () => state.me.role === 'owner' && detail.review({ state: 'approved' }),
    r: () => state.me.role === 'owner' && detail.review({ state: 'rejected' }),
  };
  const action = actions[event.key];
  if (!action || (event.key === ' ' && event.target.closest?.('button, a'))) return;
  event.preventDefault();
  action();
});

// ---- start -------------------------------------------------------------------------------------

i18n.addMessages(INBOX_TEXTS);
i18n.addMessages(VOICE_CAPTURE_TEXTS);
i18n.setLocale(i18n.pickLocale(navigator.languages ?? [navigator.language]));
i18n.onLocaleChange(renderTexts);
for (const button of document.querySelectorAll('[data-locale]')) {
  button.addEventListener('click', () => i18n.setLocale(button.dataset.locale));
}
renderTexts();

api
  .config()
  .then((config) => {
    applyAccent(config.podcast.accentColor);
    $('podcast-name').textContent = config.podcast.name;
  })
  .catch(() => {});
api
  .me()
  .then(showInbox)
  .catch(() => showSignIn());
