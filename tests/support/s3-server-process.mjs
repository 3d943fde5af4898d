// Runs an S3-compatible test server in its own process for the CommonJS test suite; see s3-server.ts.
// S3_IMPL picks the implementation: `fauxqs` (in memory) or `s3rver` (files under a temp folder),
// two independent code bases, so a behaviour hallo relies on is checked against both.
// argv: bucket names to create. Prints one JSON line {endpoint, accessKeyId, secretAccessKey} once ready.
// Exits on SIGTERM/SIGINT or when stdin ends, so it dies with the test process that spawned it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

const buckets = process.argv.slice(2);
// S3_PORT: restart on the port of a server stopped before (its objects are gone).
const port = Number(process.env.S3_PORT ?? 0);

async function startFauxqsServer() {
  const { startFauxqs } = await import('fauxqs');
  const server = await startFauxqs({ port, logger: false });
  for (const bucket of buckets) server.createBucket(bucket);
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    // fauxqs accepts any credentials.
    accessKeyId: 'test',
    secretAccessKey: 'test',
    stop: () => server.stop(),
  };
}

async function startS3rverServer() {
  const { default: S3rver } = await import('s3rver');
  const directory = mkdtempSync(path.join(os.tmpdir(), 'hallo-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    // s3rver checks signatures against its one built-in key pair.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async stop() {
      server.httpServer?.closeAllConnections?.();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

const impl = process.env.S3_IMPL ?? 'fauxqs';
const starters = { fauxqs: startFauxqsServer, s3rver: startS3rverServer };
if (!(impl in starters))
  throw new Error(`S3_IMPL must be one of ${Object.keys(starters).join(', ')}`);
const server = await starters[impl]();

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();

const { endpoint, accessKeyId, secretAccessKey } = server;
process.stdout.write(`${JSON.stringify({ endpoint, accessKeyId, secretAccessKey })}\n`);
