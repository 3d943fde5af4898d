// Runs fauxqs (ESM-only) in its own process for the CommonJS test suite; see s3-server.ts.
// argv: bucket names to create. Prints one JSON line {"endpoint": "..."} once ready.
// Exits on SIGTERM/SIGINT or when stdin ends, so it dies with the test process that spawned it.
import process from 'node:process';
import { startFauxqs } from 'fauxqs';

// S3_PORT: restart on the port of a server stopped before (its objects are gone: fauxqs keeps them in memory).
const server = await startFauxqs({ port: Number(process.env.S3_PORT ?? 0), logger: false });
for (const bucket of process.argv.slice(2)) server.createBucket(bucket);

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

process.stdout.write(`${JSON.stringify({ endpoint: `http://127.0.0.1:${server.port}` })}\n`);
