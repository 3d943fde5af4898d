// The segment's jingles in the episode panel: what is there (playable), and for the owner a file
// to upload or remove per slot. The server checks and levels the file like any upload.
import { clock, t } from '../i18n.js';
import { api } from './api.js';

const SLOTS = ['intro', 'between', 'outro'];

export function drawJingles(list, jingles, { canEdit, onChanged, announce }) {
  list.replaceChildren(
    ...SLOTS.map((slot) => {
      const jingle = jingles[slot];
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'jingle-name';
      name.textContent = t(`jingle_${slot}`);
      const state = document.createElement('span');
      state.className = 'hint';
      state.textContent = jingle ? clock(jingle.durationSeconds) : t('jingleNone');
      item.append(name, state);
      if (jingle) {
        const audio = document.createElement('audio');
        audio.controls = true;
        audio.preload = 'none';
        audio.src = `${api.jingleAudioUrl(slot)}?v=${encodeURIComponent(jingle.uploadedAt)}`;
        audio.setAttribute('aria-label', t(`jingle_${slot}`));
        item.append(audio);
      }
      if (canEdit) item.append(...editControls(slot, jingle, { onChanged, announce }));
      return item;
    }),
  );
}

function editControls(slot, jingle, { onChanged, announce }) {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = 'audio/*';
  input.setAttribute('aria-label', `${t(`jingle_${slot}`)}: ${t('jingleUpload')}`);
  input.dataset.slot = slot;
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    const form = new FormData();
    form.append('audio', file, file.name);
    try {
      const { jingle: saved } = await api.saveJingle(slot, form);
      announce(
        t('jingleSaved', { slot: t(`jingle_${slot}`), duration: clock(saved.durationSeconds) }),
      );
    } catch (error) {
      announce(error.message);
    }
    input.value = '';
    onChanged();
  });
  if (!jingle) return [input];
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'button button-quiet';
  remove.textContent = t('jingleRemove');
  remove.setAttribute('aria-label', `${t(`jingle_${slot}`)}: ${t('jingleRemove')}`);
  remove.addEventListener('click', async () => {
    try {
      await api.removeJingle(slot);
    } catch (error) {
      announce(error.message);
    }
    onChanged();
  });
  return [input, remove];
}
