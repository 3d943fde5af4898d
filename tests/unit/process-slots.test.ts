import { ProcessSlots } from '../../src/audio/process-slots';

describe('ProcessSlots', () => {
  it('never runs more than its size at once, and runs everything in order', async () => {
    const slots = new ProcessSlots(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (n: number) => async () => {
      started.push(n);
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      if (n === 4) throw new Error('boom');
      return n;
    };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) => slots.run(task(n))),
    );
    expect(most).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(9);
    expect(await slots.run(async () => 'after a failure')).toBe('after a failure');
  });
});

describe('ProcessSlots.tryAcquire', () => {
  it('takes a free slot or none, and hands a freed one to a waiting task first', async () => {
    const slots = new ProcessSlots(2);
    const first = slots.tryAcquire();
    const second = slots.tryAcquire();
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(slots.tryAcquire()).toBeUndefined();

    let ran = false;
    const waiting = slots.run(async () => {
      ran = true;
    });
    expect(slots.waiting).toBe(1);
    first?.();
    first?.(); // a second call must not free a second slot
    await waiting;
    expect(ran).toBe(true);
    expect(slots.tryAcquire()).toBeDefined(); // the waiting task's slot came back
    expect(slots.tryAcquire()).toBeUndefined(); // `second` still holds the other one
    second?.();
  });
});
