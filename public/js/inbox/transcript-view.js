// A message's transcript under the player: its segments as buttons that seek the player, the one
// being played highlighted, the detected language, the team's correction, and the way to get a
// transcript where there is none. Built with DOM calls (the text is never parsed as HTML).
import { clock, dateTime, getLocale, t } from '../i18n.js';
import { api } from './api.js';

const $ = (id) => document.getElementById(id);
const PENDING = ['queued', 'transcribing'];

function languageName(code) {
  try {
    return new Intl.DisplayNames([getLocale()], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function createTranscriptView({ audio, player, announce, canTranscribe, showError }) {
  const section = $('d-transcript');
  const state = $('d-transcript-state');
  const list = $('d-transcript-segments');
  const edited = $('d-transcript-edited');
  const editBox = $('d-transcript-edit-box');
  const editor = $('d-transcript-edit');
  const button = $('d-transcribe');
  let id = null;
  let segments = [];

  function highlight() {
    const now = audio.currentTime;
    let currentIndex = -1;
    segments.forEach((s, i) => {
      if (now >= s.start && now < Math.max(s.end, (segments[i + 1]?.start ?? s.end) || s.end))
        currentIndex = i;
    });
    list.querySelectorAll('button').forEach((node, i) => {
      if (i === currentIndex) node.setAttribute('aria-current', 'time');
      else node.removeAttribute('aria-current');
    });
  }
  audio.addEventListener('timeupdate', highlight);
  audio.addEventListener('seeked', highlight);

  function segmentButton(segment) {
    const li = document.createElement('li');
    const node = document.createElement('button');
    node.type = 'button';
    node.className = 'transcript-segment';
    node.dataset.start = String(segment.start);
    node.title = t('seekTo', { time: clock(segment.start) });
    const time = document.createElement('span');
    time.className = 'transcript-time';
    time.textContent = clock(segment.start);
    const text = document.createElement('span');
    text.className = 'transcript-text';
    text.textContent = segment.text;
    node.append(time, ' ', text);
    node.addEventListener('click', () => {
      player.seek(segment.start);
      if (audio.paused) player.toggle();
    });
    li.append(node);
    return li;
  }

  function render(view) {
    section.hidden = view.state === 'off';
    if (section.hidden) return;
    const reason =
      view.state === 'unavailable'
        ? `transcript_no_${view.reason === 'no-engine' ? 'engine' : 'model'}`
        : null;
    const line =
      view.state === 'ready'
        ? t('transcriptLanguage', { language: languageName(view.language ?? 'und') })
        : t(reason ?? `transcript_${view.state}`, { error: view.error ?? '' });
    state.textContent = line;
    state.className = `hint transcript-state transcript-${view.state}`;
    segments = view.segments ?? [];
    list.replaceChildren(...segments.map(segmentButton));
    list.hidden = segments.length === 0;
    edited.hidden = !view.edited;
    edited.replaceChildren();
    if (view.edited) {
      const text = document.createElement('p');
      text.className = 'transcript-edited-text';
      text.textContent = view.text;
      const by = document.createElement('p');
      by.className = 'hint';
      by.textContent = t('transcriptEdited', {
        who: view.editedBy ?? '',
        when: dateTime(view.editedAt),
      });
      const machine = document.createElement('p');
      machine.className = 'hint';
      machine.textContent = segments.length > 0 ? t('transcriptMachine') : '';
      edited.append(text, by, machine);
    }
    editBox.hidden = PENDING.includes(view.state);
    if (document.activeElement !== editor)
      editor.value = view.edited ? view.text : (view.text ?? '');
    button.hidden = !canTranscribe() || PENDING.includes(view.state);
    button.textContent = t(view.state === 'ready' ? 'transcribeAgain' : 'transcribe');
    highlight();
  }

  async function load(submissionId) {
    id = submissionId;
    const view = await api.transcript(submissionId);
    if (id === submissionId) render(view);
    return view;
  }

  const act = (run) => async () => {
    if (!id) return;
    showError(null);
    try {
      await run(id);
    } catch (error) {
      showError(error);
    }
  };
  $('d-transcript-save').addEventListener(
    'click',
    act(async (current) => {
      await api.editTranscript(current, editor.value);
      await load(current);
      announce(t('transcriptSaved'));
    }),
  );
  button.addEventListener(
    'click',
    act(async (current) => {
      await api.transcribe(current);
      announce(t('transcribeQueued'));
      await load(current);
    }),
  );

  return {
    load,
    hide() {
      id = null;
      segments = [];
      section.hidden = true;
    },
    isPending: (view) => PENDING.includes(view?.state),
  };
}
