import { execFileSync } from 'node:child_process';
import { LoopWatch, MAX_STALL_MS } from '../support/event-loop-watchdog';

/** Works on the loop for `ms` of CPU time (not wall time: on a loaded machine those differ). */
const busy = (ms: number) => {
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user < ms * 1000);
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
