// Keeps the unsent message (audio, form fields, idempotency key) in IndexedDB until the server has
// confirmed it, so a reload, a crashed tab or a phone that kills the browser loses nothing.
// Every failure here is swallowed: without storage (private mode, full disk) the page still works,
// it just cannot survive a reload.

const DB_NAME = 'hallo-recorder';
const STORE = 'drafts';
const KEY = 'current';

let opening = null;

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(idbRequest.error);
  });
}

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') return reject(new Error('no IndexedDB'));
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('IndexedDB blocked'));
    });
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

async function withStore(mode, action) {
  const db = await open();
  const tx = db.transaction(STORE, mode);
  const done = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  const result = request(action(tx.objectStore(STORE)));
  result.catch(() => {}); // the transaction's failure below carries the same error
  await done;
  return result;
}

/**
 * draft: { audio: { blob, mimeType, fileName, durationSeconds, source }, idempotencyKey,
 * fields: { name, email, message, locale }, savedAt }. Returns whether it was stored.
 */
export async function saveDraft(draft) {
  try {
    await withStore('readwrite', (store) => store.put(draft, KEY));
    return true;
  } catch {
    // Some stores take no Blobs: old WebKit (DataCloneError), and WebKit's private and in-app
    // (ephemeral) sessions today ("UnknownError: Error preparing Blob/File data"). Bytes work.
    if (!(draft.audio?.blob instanceof Blob)) return false;
    try {
      const bytes = await draft.audio.blob.arrayBuffer();
      const copy = { ...draft, audio: { ...draft.audio, blob: undefined, bytes } };
      await withStore('readwrite', (store) => store.put(copy, KEY));
      return true;
    } catch {
      return false;
    }
  }
}

export async function updateDraftFields(fields, idempotencyKey) {
  try {
    const db = await open();
    // Read and written in one transaction: a send that clears the draft in between (the fields
    // are saved 400 ms after typing) must not have its draft written back afterwards.
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    let updated = false;
    const get = store.get(KEY);
    get.onsuccess = () => {
      const draft = get.result;
      if (!draft || draft.idempotencyKey !== idempotencyKey) return;
      store.put({ ...draft, fields }, KEY);
      updated = true;
    };
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    return updated;
  } catch {
    return false;
  }
}

export async function loadDraft() {
  try {
    const draft = await withStore('readonly', (store) => store.get(KEY));
    if (!draft?.audio || !draft.idempotencyKey) return null;
    if (!draft.audio.blob && draft.audio.bytes) {
      draft.audio.blob = new Blob([draft.audio.bytes], { type: draft.audio.mimeType });
    }
    return draft.audio.blob ? draft : null;
  } catch {
    return null;
  }
}

export async function clearDraft() {
  try {
    await withStore('readwrite', (store) => store.delete(KEY));
  } catch {
    // Nothing to clear where nothing could be stored.
  }
}
