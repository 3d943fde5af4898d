/**
 * bench/inbox: the inbox's list and search through the HTTP API with 10,000 indexed submissions
 * against 100, in one run (two Redis prefixes, one server each, the same machine and moment).
 * Goal: the first page at 10,000 within 2× of the first page at 100.
 * Run: npm run bench:inbox
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monotonicFactory } from 'ulid';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/http/app';
import { closeServer, httpLimitsOf, listen } from '../src/http/server';
import { createLogger } from '../src/log';
import { createServices, type Services } from '../src/services';
import { assembleSubmission } from '../src/submissions/submission';
import { listenerDocument } from '../tests/support/listener-document';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = randomBytes(16).toString('hex');
const REQUESTS = 200;
const NAMES = ['Anna', 'Ben', 'Cem', 'Dora', 'Emil', 'Frieda', 'Gül', 'Hanno', 'Ida', 'Jörg'];
const TOPICS = ['Wetter', 'Technik', 'Folge 12', 'Lob', 'Kritik'];
const nextId = monotonicFactory();

function listener(id: string, n: number) {
  return listenerDocument(id, {
    name: `${NAMES[n % NAMES.length]} aus Ort ${n}`,
    email: `hoerer${n}@example.org`,
    topic: TOPICS[n % TOPICS.length]!,
    // One message in a hundred mentions "Mikrofon": a search with few hits reads far.
    message: n % 100 === 7 ? 'Tolles Mikrofon!' : `Nachricht Nummer ${n} zum Thema`,
    durationSeconds: 30,
  });
}

async function instance(count: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hallo-bench-inbox-'));
  const config = loadConfig({
    REDIS_URL,
    REDIS_PREFIX: `hallo-bench-${randomBytes(4).toString('hex')}`,
    STORAGE_DIR: dir,
    TEMP_DIR: path.join(dir, 'tmp'),
    ADMIN_TOKEN: TOKEN,
    LOG_LEVEL: 'silent',
  });
  const services: Services = await createServices(config, createLogger('silent'));
  for (let n = 0; n < count; n += 1) {
    await services.index.put(assembleSubmission(listener(nextId(), n), undefined, undefined));
  }
  const server: Server = await listen(buildApp(services), 0, httpLimitsOf(config));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async stop() {
      await closeServer(server, 1000);
      await services.index.clear();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function timed(url: string): Promise<{ median: number; p95: number; items: number }> {
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < REQUESTS; i += 1) {
    const start = process.hrtime.bigint();
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await response.json()) as { items: unknown[] };
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    items = body.items.length;
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)]!,
    p95: times[Math.floor(times.length * 0.95)]!,
    items,
  };
}

async function main() {
  console.log(`bench/inbox: ${REQUESTS} requests per query, median and p95 in ms, 2 cores`);
  const small = await instance(100);
  const seedStart = Date.now();
  const large = await instance(10_000);
  console.log(`seeded 10,000 index entries in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
  const queries = [
    ['first page (50, newest)', 'limit=50'],
    ['new only', 'limit=50&review=new'],
    ['topic filter', 'limit=50&topic=Wetter'],
    ['search, common word', 'limit=50&q=nachricht'],
    ['search, 1 % hits', 'limit=50&q=mikrofon'],
  ] as const;
  console.log('query                      n=100 median/p95   n=10000 median/p95   ratio (median)');
  let firstRatio = 0;
  try {
    for (const [label, query] of queries) {
      // Interleaved, so both sizes see the same machine state.
      const a = await timed(`${small.url}/api/admin/submissions?${query}`);
      const b = await timed(`${large.url}/api/admin/submissions?${query}`);
      const ratio = b.median / a.median;
      if (query === 'limit=50') firstRatio = ratio;
      console.log(
        `${label.padEnd(26)} ${a.median.toFixed(2).padStart(6)} / ${a.p95.toFixed(2).padStart(6)}` +
          `      ${b.median.toFixed(2).padStart(6)} / ${b.p95.toFixed(2).padStart(6)}` +
          `        ${ratio.toFixed(2)}x  (${a.items}/${b.items} items)`,
      );
    }
  } finally {
    await small.stop();
    await large.stop();
  }
  console.log(
    `\nfirst page 10,000 vs 100 = ${firstRatio.toFixed(2)}x  (goal <= 2x: ${firstRatio <= 2 ? 'met' : 'NOT met'})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
