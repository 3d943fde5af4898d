import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { LoopWatch, MAX_STALL_MS } from '../support/event-loop-watchdog';

/**
 * The main thread's own CPU time in ms (Linux: the first field of its schedstat, in ns). Not
 * process.cpuUsage(): that counts every thread of the process, and on a loaded CI machine the
 * collector's and libuv's threads once made 700 ms of it pass in 190 ms of the main thread's.
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const mainThreadCpuMs = (): number =>
  existsSync(SCHEDSTAT)
    ? Number(readFileSync(SCHEDSTAT, 'latin1').split(' ')[0]) / 1e6
    : process.cpuUsage().user / 1000;

/** Works on the loop for `ms` of the main thread's CPU time (not wall time: under load they differ). */
const busy = (ms: number) => {
  const start = mainThreadCpuMs();
  while (mainThreadCpuMs() - start < ms);
};

/** The security suite's watchdog must see a stall, or every test that relies on it proves nothing. */
describe('the event-loop watchdog', () => {
  it('sees the loop held by work, at the very start and at the very end of a watch', async () => {
    const watch = new LoopWatch();
    await watch.start();
    busy(MAX_STALL_MS + 200);
    await watch.stop();
    expect(watch.worstMs).toBeGreaterThan(MAX_STALL_MS);
    const atEnd = new LoopWatch();
    await atEnd.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    busy(MAX_STALL_MS + 200);
    await atEnd.stop();
    expect(atEnd.worstMs).toBeGreaterThan(MAX_STALL_MS);
  });

  it('sees a quiet loop as quiet, and nothing of what happened between watches', async () => {
    const watch = new LoopWatch();
    await watch.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await watch.stop();
    busy(400);
    await watch.start();
    await watch.stop();
    expect(watch.worstMs).toBeLessThan(100);
  });

  it('sees a loop blocked on a synchronous call too', async () => {
    const watch = new LoopWatch();
    await watch.start();
    execFileSync('sleep', [String((MAX_STALL_MS + 200) / 1000)]);
    await watch.stop();
    expect(watch.worstMs).toBeGreaterThan(MAX_STALL_MS);
  });
});
