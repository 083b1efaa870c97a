import { Worker } from 'node:worker_threads';

import { Logger } from '@nestjs/common';

import type { BcryptBinding } from './password-hasher';

/** What a hash thread is asked: a hash of `password` at `rounds`, or a compare with `hash`. */
type Job =
  | { op: 'hash'; password: string; rounds: number }
  | { op: 'compare'; password: string; hash: string }
  | { op: 'stop' };
type Reply =
  { ok: true; value: string | boolean } | { ok: false; message: string } | { warning: string };

/**
 * The body of each hash thread (plain JavaScript, so it runs the same from dist/ and under Jest).
 * `os.setPriority(0, n)` is setpriority(PRIO_PROCESS, 0) and on Linux that is the calling thread
 * only: this thread gets the nice value, the event loop keeps its own. With `idle`, util-linux's
 * `chrt --idle` gives this thread (its id from /proc/thread-self) the SCHED_IDLE policy: it runs
 * only on a core no other thread wants, and a thread that wakes up takes its core at once.
 * bcrypt is loaded first, at the normal policy. A thread is never terminated while it is inside
 * bcrypt (loading it or hashing): node-addon-api can throw from a native call into a stopping
 * thread, which aborts the whole process. `close()` terminates only threads between jobs (past
 * loading: a thread starts with its first job) and sends the others `stop`, which they take after
 * the job they are on.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const os = require('node:os');
const bcrypt = require(workerData.bcrypt);
try { os.setPriority(0, workerData.nice); } catch {}
if (workerData.idle) {
  try {
    const tid = require('node:fs').readlinkSync('/proc/thread-self').split('/').pop();
    require('node:child_process').execFileSync('chrt', ['--idle', '-p', '0', tid], { stdio: 'pipe' });
  } catch (e) {
    parentPort.postMessage({ warning: 'hash thread not at SCHED_IDLE: ' + String((e && e.message) || e) });
  }
}
parentPort.on('message', (job) => {
  if (job.op === 'stop') return process.exit(0);
  try {
    const value = job.op === 'hash'
      ? bcrypt.hashSync(job.password, job.rounds)
      : bcrypt.compareSync(job.password, job.hash);
    parentPort.postMessage({ ok: true, value });
  } catch (e) {
    parentPort.postMessage({ ok: false, message: String((e && e.message) || e) });
  }
});
`;

/** A job and its caller; settled by the first answer (its own thread's, or the rescue's). */
interface Task {
  job: Job;
  resolve: (v: string | boolean) => void;
  reject: (e: Error) => void;
  settled?: boolean;
  rescue?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  busy?: { task: Task; startedAt: number };
}

/**
 * With idle threads, a hash not answered this long after it was asked for is run again on a thread
 * at the normal policy (the rescue): at least RESCUE_FLOOR_MS, and RESCUE_FACTOR times the
 * fastest of the last RESCUE_SAMPLES hashes of the idle threads (what one takes on a free core).
 */
export const RESCUE_FLOOR_MS = 250;
const RESCUE_FACTOR = 4;
const RESCUE_SAMPLES = 16;

/**
 * Native bcrypt on threads of its own at a lower CPU priority (a nice value, Linux: per thread;
 * with `idle`, the SCHED_IDLE policy), instead of on libuv's thread pool at the event loop's
 * priority. A login storm then uses every core the requests do not need, and the event loop
 * (listings, checkouts) is scheduled first when both want a core. libuv's pool stays free for
 * what else uses it (file and DNS work).
 *
 * A SCHED_IDLE thread gets almost nothing of a core another thread keeps busy, so with `idle` a
 * hash that has run past its rescue time (RESCUE_FLOOR_MS) is run again, from the start, on a
 * rescue thread at the normal policy (at most `size` of them), and the first answer is the job's:
 * a host whose every core is busy still signs people in as it would without `idle`, a little
 * later.
 *
 * `size` threads, one job each at a time; PasswordHasher bounds how many it hands over, and
 * jobs past `size` wait here in order. Threads start on first use and do not keep the process
 * alive; a thread that dies fails its job and is replaced on the next one.
 */
export class BcryptWorkerPool implements BcryptBinding {
  private readonly slots: (Slot | undefined)[];
  private readonly waiting: Task[] = [];
  /** Threads at the normal policy for rescued hashes, as many as `size` (started when needed). */
  private readonly rescuers: (Slot | undefined)[];
  private readonly rescues: Task[] = [];
  private readonly recentMs: number[] = [];
  private warned = false;
  /** Jobs that ran again on a rescue thread since the pool started (for tests). */
  rescued = 0;
  /** Called for each job that runs again on a rescue thread (a metric). */
  onRescue?: () => void;

  constructor(
    private readonly size: number,
    private readonly nice: number,
    /** SCHED_IDLE hash threads (PASSWORD_HASH_IDLE, Linux with util-linux's chrt). */
    private readonly idle = false,
    private readonly rescueFloorMs = RESCUE_FLOOR_MS,
  ) {
    this.slots = new Array<Slot | undefined>(size).fill(undefined);
    this.rescuers = new Array<Slot | undefined>(size).fill(undefined);
  }

  async hash(password: string, rounds: number): Promise<string> {
    return (await this.run({ op: 'hash', password, rounds })) as string;
  }

  async compare(password: string, hash: string): Promise<boolean> {
    return (await this.run({ op: 'compare', password, hash })) as boolean;
  }

  /**
   * Stops every thread; jobs still running or waiting fail. A thread still in a hash is told to
   * stop after it and not waited for: a native call cannot be cut short, and at SCHED_IDLE on
   * busy cores the hash can take minutes. That thread does not keep the process alive, and the
   * process may exit while it runs.
   */
  async close(): Promise<void> {
    const stopped = new Error('password hashing stopped');
    for (const t of this.waiting.splice(0)) this.settle(t, stopped);
    for (const t of this.rescues.splice(0)) this.settle(t, stopped);
    const all = [...this.slots, ...this.rescuers];
    this.slots.fill(undefined);
    this.rescuers.fill(undefined);
    await Promise.all(
      all.map(async (s) => {
        if (!s) return;
        const busy = s.busy;
        s.busy = undefined;
        if (!busy) return s.worker.terminate();
        this.settle(busy.task, stopped);
        s.worker.postMessage({ op: 'stop' } satisfies Job);
      }),
    );
  }

  private run(job: Job): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      const task: Task = { job, resolve, reject };
      if (this.idle) {
        // from its arrival: a job waiting behind a thread still busy with a rescued job (settled,
        // but its starved thread goes on with it) is rescued too
        const fastest = this.recentMs.length ? Math.min(...this.recentMs) : 0;
        const after = Math.max(this.rescueFloorMs, RESCUE_FACTOR * fastest);
        task.rescue = setTimeout(() => this.rescue(task), after);
        task.rescue.unref();
      }
      const i = this.freeSlot();
      if (i === -1) this.waiting.push(task);
      else this.start(i, task);
    });
  }

  private freeSlot(): number {
    for (let i = 0; i < this.size; i++) if (!this.slots[i]?.busy) return i;
    return -1;
  }

  private start(i: number, task: Task): void {
    const slot = (this.slots[i] ??= this.spawn(this.idle));
    slot.busy = { task, startedAt: performance.now() };
    slot.worker.postMessage(task.job);
  }

  /** The task, still unanswered, again on a rescue thread (in order, one per thread). */
  private rescue(task: Task): void {
    task.rescue = undefined;
    if (task.settled) return;
    this.rescued++;
    this.onRescue?.();
    this.rescues.push(task);
    this.nextRescue();
  }

  private nextRescue(): void {
    while (this.rescues.length && this.rescues[0].settled) this.rescues.shift();
    const i = this.rescuers.findIndex((r) => !r?.busy);
    if (!this.rescues.length || i === -1) return;
    const slot = (this.rescuers[i] ??= this.spawn(false));
    const task = this.rescues.shift()!;
    slot.busy = { task, startedAt: performance.now() };
    slot.worker.postMessage(task.job);
  }

  private settle(task: Task, result: Error | { value: string | boolean }): void {
    if (task.settled) return;
    task.settled = true;
    clearTimeout(task.rescue);
    if (result instanceof Error) task.reject(result);
    else task.resolve(result.value);
  }

  /** A hash thread (SCHED_IDLE with `idle`), or a rescue thread. */
  private spawn(idle: boolean): Slot {
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { nice: this.nice, idle, bcrypt: require.resolve('bcrypt') },
    });
    worker.unref();
    const slot: Slot = { worker };
    const rescuer = !idle && this.idle;
    const free = () => {
      const busy = slot.busy;
      slot.busy = undefined;
      if (rescuer) this.nextRescue();
      else this.next();
      return busy;
    };
    worker.on('message', (reply: Reply) => {
      if ('warning' in reply) {
        if (!this.warned) new Logger('PasswordHasher').warn(reply.warning);
        this.warned = true;
        return;
      }
      const busy = free();
      if (!busy) return;
      if (this.idle && !rescuer && !busy.task.settled) {
        this.recentMs.push(performance.now() - busy.startedAt);
        if (this.recentMs.length > RESCUE_SAMPLES) this.recentMs.shift();
      }
      this.settle(busy.task, reply.ok ? { value: reply.value } : new Error(reply.message));
    });
    const fail = (e: Error) => {
      // a thread that died is replaced on the next job (not one that close() already dropped)
      for (const place of [this.slots, this.rescuers]) {
        const i = place.indexOf(slot);
        if (i !== -1) place[i] = undefined;
      }
      const busy = free();
      if (busy) this.settle(busy.task, e);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`bcrypt thread exited (${code})`)));
    return slot;
  }

  private next(): void {
    while (this.waiting.length && this.waiting[0].settled) this.waiting.shift();
    const i = this.waiting.length ? this.freeSlot() : -1;
    if (i === -1) return;
    this.start(i, this.waiting.shift()!);
  }
}
