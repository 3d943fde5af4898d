/** Every refusal the API can give: a stable code and its HTTP status. Messages live in i18n/messages.ts. */
export const ERROR_STATUS = {
  FILE_REQUIRED: 400,
  TOO_MANY_FILES: 400,
  UNEXPECTED_FIELD: 400,
  MALFORMED_REQUEST: 400,
  TOO_MANY_FIELDS: 400,
  FIELD_TOO_LONG: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  FILE_EMPTY: 422,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_AUDIO_FORMAT: 415,
  AUDIO_CORRUPT: 422,
  AUDIO_TOO_LONG: 422,
  AUDIO_TOO_SHORT: 422,
  AUDIO_SILENT: 422,
  NAME_INVALID: 422,
  EMAIL_INVALID: 422,
  MESSAGE_TOO_LONG: 422,
  TOPIC_TOO_LONG: 422,
  LOCALE_INVALID: 422,
  CONSENT_REQUIRED: 422,
  SPAM_SUSPECTED: 422,
  IDEMPOTENCY_KEY_INVALID: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_IN_PROGRESS: 409,
  RATE_LIMITED: 429,
  LOGIN_THROTTLED: 429,
  TOO_MANY_PARALLEL_UPLOADS: 429,
  UPLOAD_TOO_SLOW: 408,
  DUPLICATE_AUDIO: 409,
  INTAKE_BUSY: 503,
  STORAGE_UNAVAILABLE: 503,
  SERVICE_UNAVAILABLE: 503,
  UNAUTHORIZED: 401,
  LOGIN_FAILED: 401,
  FORBIDDEN: 403,
  SESSION_REQUIRED: 403,
  CROSS_SITE_REQUEST: 403,
  NOT_FOUND: 404,
  NOT_READY: 409,
  INVALID_QUERY: 400,
  INVALID_BODY: 400,
  BUSY: 409,
  NOT_RETRYABLE: 409,
  BUNDLE_EMPTY: 404,
  SEGMENT_NOT_READY: 409,
  TRANSCRIPTS_OFF: 409,
  GHOST_NOT_CONFIGURED: 409,
  NEWSLETTER_NO_CONSENT: 409,
  REPLY_NO_EMAIL: 422,
  REPLY_MAIL_OFF: 409,
  REPLY_TEXT_TOO_LONG: 422,
  REPLY_LINK_INVALID: 404,
  REPLY_LINK_EXPIRED: 410,
  REPLY_LINK_REVOKED: 410,
  REPLY_NOT_READY: 409,
  ANSWER_NOT_ALLOWED: 403,
  ALREADY_ANSWERED: 409,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(code, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
  readonly retryAfterSeconds: number | undefined;
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
