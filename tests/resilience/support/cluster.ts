import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openAsBlob, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixture } from '../../support/fixtures';
import { S3BlobStore } from '../../../src/storage/s3-blob-store';
import { s3ConfigFor, s3EnvFor, startS3Server, type S3Server } from '../../support/s3-server';
import { freePort } from './free-port';
import { killHard, startHalloProcess, type HalloProcess } from './hallo-process';
import { startRedisServer } from './redis-process';

export const TOKEN = 'resilience-admin-token-0123';

export type Redis = Awaited<ReturnType<typeof startRedisServer>>;

/**
 * A production-like hallo on one machine: its own redis-server, the S3 test server, and separate
 * API and worker processes, each with its own temp folder.
 */
export class Cluster {
  readonly apis: { process: HalloProcess; url: string; tempDir: string }[] = [];
  readonly workers: { process: HalloProcess; tempDir: string }[] = [];
  private readonly root = mkdtempSync(path.join(os.tmpdir(), 'hallo-resilience-'));
  readonly prefix = `hallo-res-${randomBytes(4).toString('hex')}`;
  /** Every log line of every worker that ever ran in this cluster. */
  readonly workerLogs: Record<string, unknown>[][] = [];

  constructor(
    public redis: Redis,
    public s3: S3Server,
    private readonly extraEnv: Record<string, string>,
  ) {}

  static async start(extraEnv: Record<string, string> = {}): Promise<Cluster> {
    const [redis, s3] = await Promise.all([startRedisServer(), startS3Server(['hallo'])]);
    return new Cluster(redis, s3, extraEnv);
  }

  env(tempDir: string, more: Record<string, string> = {}): Record<string, string> {
    return {
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: this.prefix,
      REDIS_AUTOSTART: 'false',
      ...s3EnvFor(this.s3, 'hallo'),
      STORAGE_DIR: path.join(this.root, 'storage'),
      TEMP_DIR: tempDir,
      ADMIN_TOKEN: TOKEN,
      RATE_LIMIT_UPLOADS: '0',
      RATE_LIMIT_ATTEMPTS: '0',
      RATE_LIMIT_IN_FLIGHT: '0',
      RATE_LIMIT_SAME_AUDIO: '0',
      JOB_LOCK_SECONDS: '3',
      JOB_BACKOFF_MS: '300',
      RECONCILE_INTERVAL_SECONDS: '2',
      WORKER_CONCURRENCY: '2',
      ...this.extraEnv,
      ...more,
    };
  }

  private tempDir(name: string): string {
    const dir = path.join(this.root, `tmp-${name}-${randomBytes(3).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  async startApi(more: Record<string, string> = {}) {
    const port = await freePort();
    const tempDir = this.tempDir('api');
    const process = await startHalloProcess(
      'api',
      this.env(tempDir, { PORT: String(port), ...more }),
    );
    const api = { process, url: `http://127.0.0.1:${port}`, tempDir };
    this.apis.push(api);
    return api;
  }

  async startWorker(more: Record<string, string> = {}) {
    const tempDir = this.tempDir('worker');
    const process = await startHalloProcess('worker', this.env(tempDir, more));
    this.workerLogs.push(process.logs);
    const worker = { process, tempDir };
    this.workers.push(worker);
    return worker;
  }

  async upload(
    file: string,
    fields: Record<string, string>,
    options: { api?: number; idempotencyKey?: string } = {},
  ): Promise<{ status: number; body: any; ms: number }> {
    const form = new FormData();
    for (const [name, value] of Object.entries({ consent: 'true', ...fields }))
      form.append(name, value);
    form.append('audio', await openAsBlob(fixture(file)), file);
    const api = this.apis[options.api ?? 0]!;
    const started = Date.now();
    const response = await fetch(`${api.url}/api/submissions`, {
      method: 'POST',
      body: form,
      headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    });
    return { status: response.status, body: await response.json(), ms: Date.now() - started };
  }

  async submission(id: string): Promise<any> {
    // The newest API: an older one may have been stopped by the test.
    const response = await fetch(`${this.apis.at(-1)!.url}/api/admin/submissions/${id}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return response.status === 200 ? response.json() : undefined;
  }

  /** Waits until every id's processing is in one of `states`; returns the submissions. */
  async waitFor(ids: string[], states: string[], timeoutMs = 60_000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    const done = new Map<string, any>();
    for (;;) {
      // Only what has not arrived yet is asked again, fifty at a time.
      const pending = ids.filter((id) => !done.has(id));
      for (let i = 0; i < pending.length; i += 50) {
        const batch = pending.slice(i, i + 50);
        const found = await Promise.all(
          batch.map((id) => this.submission(id).catch(() => undefined)),
        );
        found.forEach((s, j) => {
          if (s && states.includes(s.processing.state)) done.set(batch[j]!, s);
        });
      }
      if (done.size === ids.length) return ids.map((id) => done.get(id));
      if (Date.now() > deadline) {
        const late = ids.filter((id) => !done.has(id));
        throw new Error(
          `${late.length} of ${ids.length} did not reach ${states.join('|')}: ${late.slice(0, 3).join(', ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * Ready counts once every id has logged: a worker writes the document, then logs, so a poll of
   * the document can see 'ready' a moment before the line reaches us.
   */
  async settledReadyCounts(ids: string[], timeoutMs = 10_000): Promise<Map<string, number>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = this.readyCounts();
      if (ids.every((id) => counts.has(id)) || Date.now() > deadline) return counts;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** How often each submission was rendered to ready, counted from every worker's logs. */
  readyCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const logs of this.workerLogs) {
      for (const line of logs) {
        if (line.msg === 'submission ready') {
          const id = String(line.submissionId);
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
    }
    return counts;
  }

  /** Every object key in the bucket. */
  async objectKeys(): Promise<string[]> {
    const store = new S3BlobStore(s3ConfigFor(this.s3, 'hallo'));
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    store.destroy();
    return keys;
  }

  /** Files left in any process's temp folder. */
  tempFiles(): string[] {
    return [...this.apis, ...this.workers].flatMap(({ tempDir }) =>
      readdirSync(tempDir).map((name) => path.join(tempDir, name)),
    );
  }

  /**
   * The temp files left once the jobs that are finishing have cleaned up: a job reports `ready`
   * and then removes its folder, so a look right after `ready` can still see it.
   */
  async tempFilesSettled(keep: (file: string) => boolean = () => true): Promise<string[]> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const left = this.tempFiles().filter(keep);
      if (left.length === 0 || Date.now() > deadline) return left;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map(({ process }) => killHard(process)));
    await Promise.all([this.redis.kill(), this.s3.stop()]);
    rmSync(this.root, { recursive: true, force: true });
  }
}
