/**
 * At most `concurrency` operations run at once and at most `queue` wait for a turn, in arrival
 * order; past that `run` throws `busy()` at once (a 503 with Retry-After, typically) instead of
 * letting work pile up. For CPU- or memory-heavy work on the thread pool (image decoding).
 * (PasswordHasher keeps a rule of its own: its number of slots moves with the other traffic.)
 */
export class BoundedSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
    private readonly busy: () => Error,
  ) {}

  /** Operations running and waiting now (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw this.busy();
      // the slot is handed over by the operation that finishes (running stays the same)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await op();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
