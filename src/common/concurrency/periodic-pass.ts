/** Where a failed pass is reported (a Nest Logger). */
interface Warns {
  warn(message: string): void;
}

/**
 * A background pass run on a timer (unref'd: it never keeps the process alive) and on demand:
 * overlapping calls share the pass that is running, a pass that throws is logged and the next
 * one tries again, and `stop` waits for the running pass. The sweeps and purges use it; `stopped`
 * lets a long pass end early at shutdown.
 */
export class PeriodicPass {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private ended = false;

  constructor(
    /** What it does, for the log line of a failed pass ("recovery pass"). */
    private readonly what: string,
    private readonly pass: () => Promise<unknown>,
    private readonly logger: Warns,
  ) {}

  /** Runs the pass every `everyMs`, and once soon after this call when `now`. */
  start(everyMs: number, { now = false } = {}): void {
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
    if (now) setImmediate(() => void this.run());
  }

  get stopped(): boolean {
    return this.ended;
  }

  /** One pass (the running one, if any); resolves when it ends, never rejects. */
  run(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.running ??= (async () => {
      try {
        await this.pass();
      } catch (e) {
        this.logger.warn(`${this.what} failed: ${(e as Error).message}`);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** No pass starts from now on; resolves when the running one has ended. */
  async stop(): Promise<void> {
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
