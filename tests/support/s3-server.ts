import { spawn } from 'node:child_process';
import path from 'node:path';
import type { S3BlobStoreOptions } from '../../src/storage/s3-blob-store';

export interface S3Server {
  endpoint: string;
  stop(): Promise<void>;
}

const SCRIPT = path.join(__dirname, 's3-server-process.mjs');
const START_TIMEOUT_MS = 15_000;

/**
 * Starts fauxqs in a child process: it is ESM-only and jest runs CommonJS here.
 * The child exits when its stdin closes, so a killed test run does not leave it behind.
 */
export async function startS3Server(buckets: string[], port = 0): Promise<S3Server> {
  const child = spawn(process.execPath, [SCRIPT, ...buckets], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, S3_PORT: String(port) },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const endpoint = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`S3 test server (fauxqs) ${why}.\nstderr:\n${stderr || '(empty)'}`));
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
        resolve((JSON.parse(line) as { endpoint: string }).endpoint);
      } catch {
        fail(`printed an unexpected first line: ${line}`);
      }
    });
  });

  return {
    endpoint,
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

/** S3BlobStore options for a bucket on the test server; fauxqs accepts any credentials. */
export function s3ConfigFor(endpoint: string, bucket: string): S3BlobStoreOptions {
  return {
    bucket,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    accessKeyId: 'test',
    secretAccessKey: 'test',
    presignSeconds: 300,
  };
}
