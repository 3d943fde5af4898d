import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { Logger } from './log';
import { AccountStore } from './accounts/account-store';
import { ApiTokens } from './accounts/api-tokens';
import { SessionStore } from './accounts/session-store';
import { ProcessSlots } from './audio/process-slots';
import { IntakeLoad } from './http/limits/intake-load';
import { UploadTraffic } from './http/limits/upload-traffic';
import { Metrics } from './metrics/metrics';
import { SameAudioLimit } from './submissions/same-audio-limit';
import { Mailer } from './notifications/mailer';
import { JobQueues } from './queue/job-queues';
import { createRedis } from './redis/redis-connection';
import type { BlobStore } from './storage/blob-store';
import { createBlobStore } from './storage/create-blob-store';
import { IdempotencyKeys } from './submissions/idempotency';
import { SubmissionDocuments } from './submissions/submission-documents';
import { SubmissionIndex } from './submissions/submission-index';
import { ReplyDocuments } from './replies/reply-documents';
import { EpisodeDocuments } from './episodes/episode-documents';
import { Jingles } from './episodes/jingles';
import { LinkOutbox } from './replies/reply-link';
import { defaultEngineScript } from './transcripts/run-engine';

/** Everything the API and the worker share, built once per process (the composition root). */
export interface Services {
  config: Config;
  logger: Logger;
  redis: Redis;
  store: BlobStore;
  documents: SubmissionDocuments;
  replies: ReplyDocuments;
  /** Running orders and rendered segments of episodes. */
  episodes: EpisodeDocuments;
  /** The owner's jingles for the segments. */
  jingles: Jingles;
  /** Reply links between the team's sending and the mail. */
  outbox: LinkOutbox;
  index: SubmissionIndex;
  idempotency: IdempotencyKeys;
  queues: JobQueues;
  accounts: AccountStore;
  sessions: SessionStore;
  apiTokens: ApiTokens;
  mailer: Mailer;
  metrics: Metrics;
  /** Decoders checking finished uploads. */
  inspections: ProcessSlots;
  /** Decoders following uploads while they arrive (mostly waiting for bytes): a pool of their own. */
  arrivingInspections: ProcessSlots;
  sameAudio: SameAudioLimit;
  uploadTraffic: UploadTraffic;
  intakeLoad: IntakeLoad;
  tempDir: string;
  /** The speech engine's process script (tests put a failing or hanging one in its place). */
  engineScript: string;
  close(): Promise<void>;
}

export function tempDirOf(config: Config): string {
  return path.resolve(config.TEMP_DIR ?? path.join(os.tmpdir(), `hallo-${config.REDIS_PREFIX}`));
}

export async function createServices(config: Config, logger: Logger): Promise<Services> {
  const tempDir = tempDirOf(config);
  await mkdir(tempDir, { recursive: true });
  const redis = createRedis(config.REDIS_URL, 'commands');
  const store = createBlobStore(config);
  const queues = new JobQueues(redis, config);
  const mailer = new Mailer(config);
  const inspections = new ProcessSlots(config.INSPECT_CONCURRENCY);
  const uploadTraffic = new UploadTraffic({
    maxActivePerGroup: config.RATE_LIMIT_IN_FLIGHT,
    minBytesPerSecond: config.UPLOAD_MIN_BYTES_PER_SECOND,
    graceMs: config.UPLOAD_SLOW_GRACE_SECONDS * 1000,
  });
  return {
    config,
    logger,
    redis,
    store,
    documents: new SubmissionDocuments(store, config.TRANSCRIBE === 'on'),
    replies: new ReplyDocuments(store),
    episodes: new EpisodeDocuments(store),
    jingles: new Jingles(store),
    outbox: new LinkOutbox(redis, config.REDIS_PREFIX),
    index: new SubmissionIndex(redis, config.REDIS_PREFIX),
    idempotency: new IdempotencyKeys(redis, config.REDIS_PREFIX, config.IDEMPOTENCY_TTL_SECONDS),
    queues,
    accounts: new AccountStore(store),
    sessions: new SessionStore(redis, config.REDIS_PREFIX, {
      idleSeconds: config.SESSION_IDLE_MINUTES * 60,
      absoluteSeconds: config.SESSION_MAX_HOURS * 3600,
    }),
    apiTokens: new ApiTokens(store),
    mailer,
    metrics: new Metrics(queues, uploadTraffic),
    inspections,
    arrivingInspections: new ProcessSlots(config.INSPECT_ARRIVING_CONCURRENCY),
    sameAudio: new SameAudioLimit(
      redis,
      config.REDIS_PREFIX,
      config.RATE_LIMIT_SAME_AUDIO,
      config.RATE_LIMIT_WINDOW_SECONDS,
    ),
    uploadTraffic,
    intakeLoad: new IntakeLoad(
      {
        maxWaitingInspections: config.INTAKE_MAX_WAITING_INSPECTIONS,
        maxQueuedJobs: config.INTAKE_MAX_QUEUED_JOBS,
      },
      inspections,
      queues,
    ),
    tempDir,
    engineScript: defaultEngineScript(),
    async close() {
      await queues.close();
      mailer.close();
      await redis.quit().catch(() => redis.disconnect());
      const closable = store as BlobStore & { destroy?: () => void };
      closable.destroy?.();
    },
  };
}
