import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** The longest the event loop may stall while an attack is in progress. */
export const MAX_STALL_MS = 200;

/**
 * Watches this process's event loop (where the service under test runs) for the whole of each
 * test in the file that calls it: a test fails when the loop stalled past MAX_STALL_MS.
 */
export function watchEventLoop(): { maxStallMs: () => number } {
  let histogram: IntervalHistogram | undefined;
  beforeEach(() => {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
  });
  afterEach(() => {
    histogram?.disable();
    const stallMs = (histogram?.max ?? 0) / 1e6;
    histogram = undefined;
    // The longest stall of the event loop during the test, in ms.
    expect(stallMs).toBeLessThan(MAX_STALL_MS);
  });
  return { maxStallMs: () => (histogram?.max ?? 0) / 1e6 };
}
