// For each refusal the API can give: what the listener can do next (an i18n key), which button to
// offer, and which field to point at. The sentence itself comes localised from the server.

const HINTS = {
  FILE_REQUIRED: { hint: 'hintRecordAgain', action: 'record-again' },
  FILE_EMPTY: { hint: 'hintRecordAgain', action: 'record-again' },
  AUDIO_SILENT: { hint: 'hintRecordAgain', action: 'record-again' },
  AUDIO_CORRUPT: { hint: 'hintRecordAgain', action: 'record-again' },
  AUDIO_TOO_SHORT: { hint: 'hintLonger', action: 'record-again' },
  AUDIO_TOO_LONG: { hint: 'hintShorten', action: 'record-again' },
  FILE_TOO_LARGE: { hint: 'hintShorten', action: 'record-again' },
  UNSUPPORTED_AUDIO_FORMAT: { hint: 'hintOtherFile', action: 'record-again' },
  NAME_INVALID: { hint: 'hintFixField', field: 'name' },
  EMAIL_INVALID: { hint: 'hintFixField', field: 'email' },
  MESSAGE_TOO_LONG: { hint: 'hintFixField', field: 'message' },
  CONSENT_REQUIRED: { hint: 'hintFixField', field: 'consent' },
  TOPIC_TOO_LONG: { hint: 'hintReload', action: 'retry' },
  RATE_LIMITED: { hint: 'hintLater', action: 'retry' },
  STORAGE_UNAVAILABLE: { hint: 'hintKept', action: 'retry' },
  SERVICE_UNAVAILABLE: { hint: 'hintKept', action: 'retry' },
  IDEMPOTENCY_IN_PROGRESS: { hint: 'hintKept', action: 'retry' },
  INTAKE_BUSY: { hint: 'hintKept', action: 'retry' },
  TOO_MANY_PARALLEL_UPLOADS: { hint: 'hintKept', action: 'retry' },
  UPLOAD_TOO_SLOW: { hint: 'hintKept', action: 'retry' },
  DUPLICATE_AUDIO: { hint: 'hintAlreadySent', action: 'start-over' },
  NETWORK: { hint: 'hintKept', action: 'retry' },
  GATEWAY: { hint: 'hintKept', action: 'retry' },
  INTERNAL: { hint: 'hintKept', action: 'retry' },
  MALFORMED_REQUEST: { hint: 'hintKept', action: 'retry' },
  IDEMPOTENCY_KEY_REUSED: { hint: 'hintAlreadySent', action: 'start-over' },
};

const FALLBACK = { hint: 'hintReload', action: 'retry' };

export function hintFor(code) {
  return HINTS[code] ?? FALLBACK;
}

/** Client-side sentences for failures that bring no server message. */
export function fallbackMessageKey(code) {
  if (code === 'NETWORK' || code === 'GATEWAY') return 'networkError';
  if (code === 'FILE_TOO_LARGE') return 'fileTooLarge';
  return 'unexpectedAnswer';
}
