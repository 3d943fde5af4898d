/**
 * At most `size` ffmpeg processes of one kind at a time; the rest wait their turn in order.
 * A burst of uploads then queues briefly instead of starting dozens of decoders on a few cores.
 */
export class ProcessSlots {
  private running = 0;
  private readonly waiting_: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Tasks waiting for a slot (none while a slot is free). */
  get waiting(): number {
    return this.waiting_.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.size)
      await new Promise<void>((resolve) => this.waiting_.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /**
   * A slot now or none: for work that has somewhere else to go when all are taken (an upload
   * then is checked after it has arrived). The returned function frees the slot; calling it
   * again does nothing.
   */
  tryAcquire(): (() => void) | undefined {
    if (this.running >= this.size) return undefined;
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private release(): void {
    const next = this.waiting_.shift();
    if (next) next();
    else this.running -= 1;
  }
}
