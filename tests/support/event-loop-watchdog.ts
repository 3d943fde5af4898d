import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * The longest the event loop may stall while an attack is in progress. The faults this guards
 * against held the loop for seconds to minutes (104 s for one form); on CI's two cores, shared by
 * two jest workers, browsers and ffmpeg, a tick came 366 ms late once with no attack work running
 * (a collection or I/O of the test process, which the CPU-wait correction cannot see), so the
 * bound leaves room for that and no more.
 */
export const MAX_STALL_MS = 500;

const TICK_MS = 10;
const tick = () => new Promise((resolve) => setTimeout(resolve, 3 * TICK_MS));

/**
 * Time the main thread has spent ready to run but waiting for a CPU, in ms (Linux:
 * /proc/self/task/<pid>/schedstat, whose second field is that time in ns); undefined where the
 * kernel does not tell.
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const hasSchedstat = existsSync(SCHEDSTAT);
const waitedForCpuMs = (): number | undefined =>
  hasSchedstat ? Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[1]) / 1e6 : undefined;

/**
 * One process's worst event-loop stall over the stretches it was watching: how late a tick
 * came, less the time the main thread only waited for a core. On a loaded machine (CI runs two
 * jest workers, browsers and ffmpeg on two cores) a process can wait a few hundred ms for a CPU
 * without its loop being blocked at all; that is not a stall of the service. Work on the loop,
 * and synchronous waits (a blocking call), are. Where the kernel does not report the waiting,
 * every late tick counts whole.
 */
export class LoopWatch {
  private timer: NodeJS.Timeout | undefined;
  private last = { wall: 0, waited: 0 as number | undefined };
  worstMs = 0;

  private readonly sample = (): void => {
    const wall = performance.now();
    const waited = waitedForCpuMs();
    const late = wall - this.last.wall - TICK_MS;
    const queued =
      waited === undefined || this.last.waited === undefined ? 0 : waited - this.last.waited;
    this.worstMs = Math.max(this.worstMs, late - queued);
    this.last = { wall, waited };
  };

  async start(): Promise<void> {
    this.last = { wall: performance.now(), waited: waitedForCpuMs() };
    this.timer = setInterval(this.sample, TICK_MS);
    await tick();
  }

  async stop(): Promise<void> {
    // One more tick, so a stall at the very end is seen too.
    await tick();
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Watches this process's event loop (where the service under test runs) for the whole of each
 * test in the file that calls it: a test fails when the loop stalled past MAX_STALL_MS.
 * `unwatched` runs the test's own heavy work (unzipping a bundle, waiting for a render in the
 * same process, starting LibreOffice) outside the watch: the stall that counts is the
 * service's under attack.
 */
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
