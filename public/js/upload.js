// Sends the message with XMLHttpRequest (fetch has no upload progress) and retries what a retry can
// fix. The Idempotency-Key belongs to the recording, so a retry after a lost answer gets the first
// submission back (200) instead of creating a second one.

/** Waits before automatic retry n (1-based); after the last one the listener retries by hand. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000];

const RETRYABLE = new Set([
  'NETWORK',
  'STORAGE_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'IDEMPOTENCY_IN_PROGRESS',
  'GATEWAY',
  // The server is saturated, or this network sends several at once: wait as it says.
  'INTAKE_BUSY',
  'TOO_MANY_PARALLEL_UPLOADS',
  // A stalled connection was cut; the next try may get a better one.
  'UPLOAD_TOO_SLOW',
]);

export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One attempt. Resolves with { status, body, retryAfterSeconds } for any HTTP answer and with
 * status 0 when the connection failed (nothing, or not all, of the answer arrived).
 */
export function postOnce({ url, formData, idempotencyKey, onUploadProgress, onUploaded }) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Idempotency-Key', idempotencyKey);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onUploadProgress(event.loaded / event.total);
    });
    xhr.upload.addEventListener('load', () => onUploaded());
    const failed = () => resolve({ status: 0, body: null, retryAfterSeconds: 0 });
    xhr.addEventListener('error', failed);
    xhr.addEventListener('abort', failed);
    xhr.addEventListener('timeout', failed);
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // A proxy's HTML error page: classify() falls back to the status.
      }
      const retryAfter = Number(xhr.getResponseHeader('Retry-After'));
      resolve({
        status: xhr.status,
        body,
        retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : 0,
      });
    });
    xhr.send(formData);
  });
}

/**
 * What an answer means: { ok: true, id, replayed } or { ok: false, code, message, retryable }.
 * `message` is the server's localised sentence when it sent one.
 */
export function classify({ status, body, retryAfterSeconds }) {
  if ((status === 200 || status === 201) && typeof body?.id === 'string') {
    return { ok: true, id: body.id, replayed: status === 200 };
  }
  let code = body?.error?.code;
  if (!code) {
    if (status === 0) code = 'NETWORK';
    else if (status === 413) code = 'FILE_TOO_LARGE';
    else if (status === 429) code = 'RATE_LIMITED';
    else if (status === 502 || status === 503 || status === 504) code = 'GATEWAY';
    else code = 'UNEXPECTED';
  }
  return {
    ok: false,
    code,
    status,
    message: typeof body?.error?.message === 'string' ? body.error.message : null,
    retryable: RETRYABLE.has(code),
    retryAfterSeconds,
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves after `ms`, or earlier when the browser comes back online. */
function waitToRetry(ms) {
  return Promise.race([
    sleep(ms),
    new Promise((resolve) => {
      if (navigator.onLine === false) window.addEventListener('online', resolve, { once: true });
    }),
  ]);
}

/**
 * Sends with automatic retries for network failures and temporary server trouble. onWait(seconds,
 * offline, code) is called before each automatic retry. Returns the last classification.
 */
export async function sendWithRetries(attempt, { delaysMs = RETRY_DELAYS_MS, onWait }) {
  for (let retry = 0; ; retry += 1) {
    const outcome = classify(await attempt());
    if (outcome.ok || !outcome.retryable || retry >= delaysMs.length) return outcome;
    const waitMs = Math.min(Math.max(delaysMs[retry], outcome.retryAfterSeconds * 1000), 30000);
    onWait(Math.ceil(waitMs / 1000), navigator.onLine === false, outcome.code);
    // Offline: wait for the connection as long as it takes, then go on counting.
    await (navigator.onLine === false ? waitToRetry(24 * 3600 * 1000) : sleep(waitMs));
  }
}
