/**
 * How many cores the password hashes may take: all of them while hashing is all the server does,
 * `yieldCores` fewer (at least one) while it also answers other requests. On two cores a second
 * hash thread buys a login storm about a third more logins and costs every other request its
 * latency (the listing's p99 during a storm 4–9× its p99 alone with two threads, ≤ 2× with one:
 * bench/README.md, 2026-12-02 13:10); the scheduler's priorities (a nice value) did not keep it.
 */

/** The length of one look at the traffic. */
export const HASH_SHARE_WINDOW_MS = 250;
/**
 * Answers in a window beyond the hashes of that window that mean other traffic: a hash and the
 * answer of its request fall in different windows now and then, by up to one per hash thread.
 */
export const OTHER_ANSWERS_PER_WINDOW = 3;

/** The hash slots to use: `concurrency`, or `concurrency − yieldCores` (≥ 1) while others are served. */
export function hashSlots(concurrency: number, yieldCores: number, othersServed: boolean): number {
  return othersServed ? Math.max(1, concurrency - yieldCores) : concurrency;
}

/**
 * Whether a window saw other traffic: its answers (every HTTP answer, the hashing requests'
 * own included) outnumber the hashes asked for in it by more than the window's noise.
 */
export function othersServed(answers: number, hashes: number): boolean {
  return answers - hashes >= OTHER_ANSWERS_PER_WINDOW;
}

/** Where the number of HTTP answers so far comes from (Metrics). */
export interface AnswerCount {
  readonly answered: number;
}

/**
 * Looks at the traffic every HASH_SHARE_WINDOW_MS (a timer that keeps no process alive): the
 * answers since the last look, against the hashes asked for since then (`hashAsked`, which
 * also turns the verdict to "others served" inside a window). `onChange` runs when a look
 * changes the verdict, so that waiting hashes can start.
 */
export class TrafficWatch {
  private answersBefore: number;
  private hashes = 0;
  private others = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly answers: AnswerCount,
    private readonly onChange: () => void,
    windowMs = HASH_SHARE_WINDOW_MS,
  ) {
    this.answersBefore = answers.answered;
    this.timer = setInterval(() => this.look(), windowMs);
    this.timer.unref();
  }

  /** Other requests were answered in the last window. */
  get othersServed(): boolean {
    return this.others;
  }

  /**
   * One hash asked for. Other traffic already seen in this unfinished window counts at once
   * (a flood's first hashes must not take every core until the next look); a quiet verdict
   * waits for the window's end.
   */
  hashAsked(): void {
    this.hashes++;
    if (!this.others && othersServed(this.answers.answered - this.answersBefore, this.hashes)) {
      this.others = true;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private look(): void {
    const now = this.answers.answered;
    const verdict = othersServed(now - this.answersBefore, this.hashes);
    this.answersBefore = now;
    this.hashes = 0;
    if (verdict === this.others) return;
    this.others = verdict;
    this.onChange();
  }
}
