import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The longest the event loop may stall while an attack is in progress. */
export const MAX_STALL_MS = 200;

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

/**
 * Watches this process's event loop (where the service under test runs) for the whole of each
 * test in the file that calls it: a test fails when the loop stalled past MAX_STALL_MS.
 * `unwatched` runs the test's own heavy work (unzipping a bundle, waiting for a render in the
 * same process) outside the watch: the stall that counts is the service's under attack.
 *
 * Node's monitor measures each delay from its previous tick, so a watch starts with a tick (a
 * stall at the very start counts) and ends with one (a stall at the very end counts), and
 * each watched stretch gets a monitor of its own (the time spent unwatched does not count).
 */
/** One process's worst event-loop stall over the stretches it was watching. */
export class LoopWatch {
  private histogram: IntervalHistogram | undefined;
  worstMs = 0;

  async start(): Promise<void> {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    await tick();
  }

  async stop(): Promise<void> {
    await tick();
    this.histogram?.disable();
    this.worstMs = Math.max(this.worstMs, (this.histogram?.max ?? 0) / 1e6);
    this.histogram = undefined;
  }
}

export function watchEventLoop(): {
  unwatched: <T>(work: () => Promise<T>) => Promise<T>;
} {
  let watch = new LoopWatch();
  beforeEach(async () => {
    watch = new LoopWatch();
    await watch.start();
  });
  afterEach(async () => {
    await watch.stop();
    // The longest stall of the event loop during the test, in ms.
    expect(watch.worstMs).toBeLessThan(MAX_STALL_MS);
  });
  return {
    async unwatched(work) {
      await watch.stop();
      try {
        return await work();
      } finally {
        await watch.start();
      }
    },
  };
}
