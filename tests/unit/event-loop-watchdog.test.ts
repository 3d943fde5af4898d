import { execFileSync } from 'node:child_process';
import { LoopWatch } from '../support/event-loop-watchdog';

/** The security suite's watchdog must see a stall, or every test that relies on it proves nothing. */
describe('the event-loop watchdog', () => {
  it.each([
    [
      'a busy loop',
      () => {
        const until = Date.now() + 300;
        while (Date.now() < until);
      },
    ],
    ['a synchronous child process', () => void execFileSync('sleep', ['0.3'])],
  ])('sees %s of 300 ms, at the very start and at the very end', async (_case, stall) => {
    const first = new LoopWatch();
    await first.start();
    stall();
    await first.stop();
    expect(first.worstMs).toBeGreaterThan(250);
  });

  it('sees a quiet loop as quiet, and nothing of what happened between watches', async () => {
    const watch = new LoopWatch();
    await watch.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await watch.stop();
    const until = Date.now() + 300;
    while (Date.now() < until);
    await watch.start();
    await watch.stop();
    expect(watch.worstMs).toBeLessThan(100);
  });
});
