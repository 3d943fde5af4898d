import { availableParallelism } from 'node:os';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  TRUST_PROXY: z.string().default('loopback'),
  HTTP_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(20),
  HTTP_KEEP_ALIVE_SECONDS: z.coerce.number().int().min(1).max(3600).default(65),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1000000).default(1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
    .default('hallo'),
  REDIS_AUTOSTART: bool.default(true),

  STORAGE_DRIVER: z.enum(['disk', 's3']).default('disk'),
  STORAGE_DIR: z.string().min(1).default('./storage'),
  TEMP_DIR: optionalString,
  S3_BUCKET: optionalString,
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_PRESIGN_SECONDS: z.coerce.number().int().min(10).max(604800).default(300),

  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  MAX_DURATION_SECONDS: z.coerce.number().positive().max(3600).default(300),
  MIN_DURATION_SECONDS: z.coerce.number().min(0).default(1),
  SILENCE_THRESHOLD_DB: z.coerce.number().max(0).default(-50),
  RATE_LIMIT_UPLOADS: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_ATTEMPTS: z.coerce.number().int().min(0).default(300),
  RATE_LIMIT_IN_FLIGHT: z.coerce.number().int().min(0).default(6),
  RATE_LIMIT_SAME_AUDIO: z.coerce.number().int().min(0).default(3),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(3600),
  RATE_LIMIT_EXEMPT: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()]))),
  UPLOAD_MIN_BYTES_PER_SECOND: z.coerce.number().int().min(0).default(1000),
  UPLOAD_SLOW_GRACE_SECONDS: z.coerce.number().int().min(1).default(30),
  INTAKE_MAX_WAITING_INSPECTIONS: z.coerce.number().int().min(0).default(64),
  INTAKE_MAX_QUEUED_JOBS: z.coerce.number().int().min(0).default(2000),
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().positive().default(86400),

  LOUDNESS_TARGET_LUFS: z.coerce.number().min(-40).max(-5).default(-16),
  TRUE_PEAK_DBTP: z.coerce.number().min(-9).max(0).default(-1.5),
  MP3_BITRATE_KBPS: z.coerce.number().int().min(32).max(320).default(96),
  /** `auto`: hum and noise reduced per message, as measured (denoise-plan.ts); `off`: never. */
  DENOISE: z.enum(['auto', 'off']).default('auto'),
  /** An RNNoise model file (.rnnn) for ffmpeg's arnndn, used instead of afftdn. */
  DENOISE_MODEL: optionalString.pipe(
    z
      .string()
      .regex(/^\/[\w./-]+$/, 'an absolute path of letters, digits, _ . / and - only')
      .optional(),
  ),

  INSPECT_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(4 * availableParallelism()),
  INSPECT_WHILE_UPLOADING: bool.default(true),
  // Decoders that follow uploads as they arrive mostly wait for bytes: more of them than cores.
  INSPECT_ARRIVING_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(8 * availableParallelism()),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  JOB_BACKOFF_MS: z.coerce.number().int().min(0).default(5000),
  JOB_LOCK_SECONDS: z.coerce.number().int().min(2).max(600).default(30),
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(300),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(25),
  FFMPEG_TIMEOUT_SECONDS: z.coerce.number().positive().default(120),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),

  ADMIN_TOKEN: optionalString.refine(
    (v) => v === undefined || v.length >= 16,
    'must be at least 16 characters',
  ),
  DEFAULT_LOCALE: z.enum(['de', 'en']).default('de'),
  OWNER_EMAIL: z.email().default('owner@hallo.local'),
  METRICS_TOKEN: optionalString.refine(
    (v) => v === undefined || v.length >= 16,
    'must be at least 16 characters',
  ),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(10080).default(720),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(8760).default(168),
  LOGIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(0).default(20),
  LOGIN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(0).default(8),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),

  PODCAST_NAME: z.string().min(1).max(100).default('Unser Podcast'),
  PODCAST_WELCOME_DE: z
    .string()
    .max(500)
    .default('Schick uns eine Sprachnachricht – vielleicht hörst du dich in der nächsten Folge!'),
  PODCAST_WELCOME_EN: z
    .string()
    .max(500)
    .default('Send us a voice message – you may hear yourself in the next episode!'),
  ACCENT_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a5fb4')
    .default('#1a5fb4'),
  LOGO_URL: optionalString.pipe(z.url().optional()),
  PRIVACY_URL: optionalString.pipe(z.url().optional()),
  CONTACT_EMAIL: optionalString.pipe(z.email().optional()),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  TIMEZONE: z
    .string()
    .default('Europe/Berlin')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone like Europe/Berlin'),
  RETENTION_HOUR: z.coerce.number().int().min(0).max(23).default(3),

  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  MAIL_FROM: z.string().default('hallo <hallo@localhost>'),
  MAIL_TO: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,;]+/).filter(Boolean))
    .pipe(z.array(z.email())),
  MAIL_MODE: z.enum(['each', 'digest', 'off']).default('each'),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  /** The pause between clips in the episode's voice segment. */
  SEGMENT_GAP_SECONDS: z.coerce.number().min(0).max(10).default(0.8),
  /** The newsletter's Ghost: its address and an Admin API key of a custom integration (id:secret). */
  GHOST_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  GHOST_ADMIN_API_KEY: optionalString.refine(
    (v) => v === undefined || /^[0-9a-f]{24}:[0-9a-f]{64}$/.test(v),
    "must be Ghost's Admin API key: 24 hex digits, a colon, 64 hex digits",
  ),
  GHOST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  /** Where `hallo models install` puts speech models (default: <STORAGE_DIR>/models). */
  MODELS_DIR: optionalString,
  /** A mirror holding the models under their published file names; the pinned SHA-256 still decides. */
  MODELS_MIRROR_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** Transcripts of messages, made on this machine (off: no transcription step at all). */
  TRANSCRIBE: z.enum(['on', 'off']).default('on'),
  /** A model of `hallo models list` by name (installed in MODELS_DIR), or the path of any ggml file. */
  TRANSCRIBE_MODEL: z.string().min(1).default('base-q5_1'),
  /** `auto` detects the language per message; a code (de, en, …) fixes it. */
  TRANSCRIBE_LANGUAGE: z
    .string()
    .regex(/^(auto|[a-z]{2,3})$/, 'must be auto or a language code like de or en')
    .default('auto'),
  TRANSCRIBE_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  /** CPU threads per transcription: one leaves the other cores to rendering. */
  TRANSCRIBE_THREADS: z.coerce.number().int().min(1).max(64).default(1),
  /** A run is given up after this plus ten times the clip's length (a hung engine is killed). */
  TRANSCRIBE_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(86_400).default(120),
  REPLY_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  REPLY_RATE_PER_HOUR: z.coerce.number().int().min(0).default(30),
  WEBHOOK_URLS: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  WEBHOOK_SECRET: optionalString.refine(
    (v) => v === undefined || v.length >= 16,
    'must be at least 16 characters',
  ),
  EMBED_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin))),
});

/** Rules across variables, checked on the raw environment so they are reported with the rest. */
function crossFieldProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.STORAGE_DRIVER === 's3' && !env.S3_BUCKET?.trim())
    problems.push('S3_BUCKET: is required when STORAGE_DRIVER=s3');
  const min = Number(env.MIN_DURATION_SECONDS ?? 1);
  const max = Number(env.MAX_DURATION_SECONDS ?? 300);
  if (min >= max) problems.push('MIN_DURATION_SECONDS: must be below MAX_DURATION_SECONDS');
  if (env.WEBHOOK_URLS?.trim() && !env.WEBHOOK_SECRET?.trim())
    problems.push('WEBHOOK_SECRET: is required when WEBHOOK_URLS is set (deliveries are signed)');
  if (Boolean(env.GHOST_URL?.trim()) !== Boolean(env.GHOST_ADMIN_API_KEY?.trim()))
    problems.push('GHOST_URL, GHOST_ADMIN_API_KEY: set both or neither');
  if (env.MAIL_TO?.trim() && !env.SMTP_URL?.trim())
    problems.push('SMTP_URL: is required when MAIL_TO is set');
  return problems;
}

export type Config = Readonly<z.infer<typeof schema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; every bad variable is named in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value means "use the default", as in a copied .env.example.
  const given = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const result = schema.safeParse(given);
  const problems = [
    ...(result.error?.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`) ??
      []),
    ...crossFieldProblems(given),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return Object.freeze(result.data);
}
