/**
 * bench/soak: 1,000 uploads from 8 concurrent clients against one API and two workers (separate
 * processes, a redis-server of its own, the S3 test server). Prints accepted, ready, lost and
 * duplicates (goal 0 each), p50/p95 upload latency and time-to-ready, every process's RSS at start
 * and end (goal: no growth trend), and temp files left (goal 0).
 * Run: npm run bench:soak   (SOAK_UPLOADS=200 for a shorter run)
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Cluster } from '../tests/resilience/support/cluster';
import { rssMb } from './support/processes';

const UPLOADS = Number(process.env.SOAK_UPLOADS ?? 1000);
const CLIENTS = 8;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};

async function main() {
  execFileSync('bash', [path.join(__dirname, '..', 'scripts', 'make-fixtures.sh')], {
    stdio: 'ignore',
  });
  const cluster = await Cluster.start({ LOG_LEVEL: 'info' });
  try {
    await cluster.startApi();
    await cluster.startWorker();
    await cluster.startWorker();
    const processes = [...cluster.apis, ...cluster.workers].map((p, i) => ({
      label: i === 0 ? 'api' : `worker ${i}`,
      pid: p.process.child.pid!,
    }));
    const rssStart = processes.map((p) => rssMb(p.pid));
    const samples: number[][] = processes.map(() => []);
    const sampler = setInterval(
      () => processes.forEach((p, i) => samples[i]!.push(rssMb(p.pid))),
      1000,
    );

    const latencies: number[] = [];
    const ids: string[] = [];
    let refused = 0;
    let next = 0;
    const started = Date.now();
    const client = async (c: number) => {
      while (next < UPLOADS) {
        const n = next++;
        const sent = await cluster.upload('speech.mp3', { name: `Soak ${c}-${n}` });
        latencies.push(sent.ms);
        if (sent.status === 201) ids.push(sent.body.id);
        else refused += 1;
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const uploadSeconds = (Date.now() - started) / 1000;
    const done = await cluster.waitFor(ids, ['ready', 'failed'], 30 * 60_000);
    const totalSeconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    const rssEnd = processes.map((p) => rssMb(p.pid));

    const ready = done.filter((s) => s.processing.state === 'ready');
    const toReady = ready.map(
      (s) => (Date.parse(s.processing.updatedAt) - Date.parse(s.receivedAt)) / 1000,
    );
    const counts = cluster.readyCounts();
    const duplicates = ids.filter((id) => (counts.get(id) ?? 0) > 1).length;
    const lost = ids.length - ready.length;

    console.log(
      `bench/soak: ${UPLOADS} uploads of speech.mp3 from ${CLIENTS} clients; API + 2 workers, 2 cores`,
    );
    console.log(
      `accepted ${ids.length}, refused ${refused}, ready ${ready.length}, lost ${lost} (goal 0), duplicates ${duplicates} (goal 0)`,
    );
    console.log(
      `uploads took ${uploadSeconds.toFixed(1)} s, all ready after ${totalSeconds.toFixed(1)} s (${(ready.length / totalSeconds).toFixed(1)} messages/s)`,
    );
    console.log(
      `upload latency   p50 ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms`,
    );
    console.log(
      `time to ready    p50 ${percentile(toReady, 0.5).toFixed(1)} s, p95 ${percentile(toReady, 0.95).toFixed(1)} s`,
    );
    processes.forEach((p, i) => {
      const series = samples[i]!;
      const third = Math.max(1, Math.floor(series.length / 3));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      console.log(
        `rss ${p.label.padEnd(9)} start ${rssStart[i]!.toFixed(0)} MB, end ${rssEnd[i]!.toFixed(0)} MB, ` +
          `mean of first third ${mean(series.slice(0, third)).toFixed(0)} MB, of last third ${mean(series.slice(-third)).toFixed(0)} MB`,
      );
    });
    console.log(`temp files left ${cluster.tempFiles().length} (goal 0)`);
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
