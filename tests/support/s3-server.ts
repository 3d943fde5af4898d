import { spawn } from 'node:child_process';
import path from 'node:path';
import type { S3BlobStoreOptions } from '../../src/storage/s3-blob-store';

/** The S3-compatible servers the tests run: two independent implementations, both from npm. */
export const S3_IMPLEMENTATIONS = ['fauxqs', 's3rver'] as const;
export type S3Implementation = (typeof S3_IMPLEMENTATIONS)[number];

/**
 * Where a test server departs from AWS S3 (the AWS documentation decides what is right), so a
 * test can skip exactly that check and say why. hallo relies on none of these on real S3.
 */
export interface S3Quirks {
  /** Ignores `response-content-*` on a presigned GET (real S3 sends them as headers). */
  ignoresResponseOverrides: boolean;
  /** Answers `Range: bytes=0-0` with the whole object (real S3: the first byte). */
  wholeObjectForFirstByteRange: boolean;
  /** Has no AbortMultipartUpload (MethodNotAllowed); the parts stay, no object appears. */
  cannotAbortMultipart: boolean;
  /**
   * Lists folder by folder (`a/b/c` before `a/b.txt`, `A/x` before `A-1/y`), not in UTF-8 binary
   * key order, so a listing that goes on over pages skips keys. hallo's keys cannot meet this:
   * names on one level have one length (26-character ids, 32-character account ids).
   */
  listsFoldersOutOfKeyOrder: boolean;
}

export const S3_QUIRKS: Record<S3Implementation, S3Quirks> = {
  fauxqs: {
    ignoresResponseOverrides: true,
    wholeObjectForFirstByteRange: false,
    cannotAbortMultipart: false,
    listsFoldersOutOfKeyOrder: false,
  },
  s3rver: {
    ignoresResponseOverrides: false,
    wholeObjectForFirstByteRange: true,
    cannotAbortMultipart: true,
    listsFoldersOutOfKeyOrder: true,
  },
};

export interface S3Server {
  implementation: S3Implementation;
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

const SCRIPT = path.join(__dirname, 's3-server-process.mjs');
const START_TIMEOUT_MS = 15_000;

/**
 * Starts an S3-compatible server in a child process (fauxqs is ESM-only and jest runs CommonJS
 * here). The child exits when its stdin closes, so a killed test run does not leave it behind.
 */
export async function startS3Server(
  buckets: string[],
  options: { port?: number; implementation?: S3Implementation } = {},
): Promise<S3Server> {
  const implementation = options.implementation ?? 'fauxqs';
  // s3rver makes its list continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
  const nodeFlags = implementation === 's3rver' ? ['--openssl-legacy-provider'] : [];
  const child = spawn(process.execPath, [...nodeFlags, SCRIPT, ...buckets], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, S3_PORT: String(options.port ?? 0), S3_IMPL: implementation },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  type Started = Pick<S3Server, 'endpoint' | 'accessKeyId' | 'secretAccessKey'>;
  const started = await new Promise<Started>((resolve, reject) => {
    let stdout = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new Error(`S3 test server (${implementation}) ${why}.\nstderr:\n${stderr || '(empty)'}`),
      );
    };
    const timer = setTimeout(
      () => fail(`did not start within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const onExit = (code: number | null, signal: string | null): void =>
      fail(`exited early (code ${code}, signal ${signal})`);
    child.once('error', (err) => fail(`could not be spawned: ${err.message}`));
    child.once('exit', onExit);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const line = stdout.split('\n')[0];
      if (!stdout.includes('\n') || line === undefined) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(line) as Started);
      } catch {
        fail(`printed an unexpected first line: ${line}`);
      }
    });
  });

  return {
    implementation,
    ...started,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        child.kill('SIGTERM');
      }
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** S3BlobStore options for a bucket on the test server. */
export function s3ConfigFor(server: S3Server, bucket: string): S3BlobStoreOptions {
  return {
    bucket,
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    presignSeconds: 300,
  };
}

/** hallo's environment for a bucket on the test server. */
export function s3EnvFor(server: S3Server, bucket: string): Record<string, string> {
  return {
    STORAGE_DRIVER: 's3',
    S3_BUCKET: bucket,
    S3_ENDPOINT: server.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: server.accessKeyId,
    S3_SECRET_ACCESS_KEY: server.secretAccessKey,
  };
}
