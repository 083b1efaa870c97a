import { Worker } from 'node:worker_threads';

import type { BcryptBinding } from './password-hasher';

/** What a hash thread is asked: a hash of `password` at `rounds`, or a compare with `hash`. */
type Job =
  | { op: 'hash'; password: string; rounds: number }
  | { op: 'compare'; password: string; hash: string };
type Reply = { ok: true; value: string | boolean } | { ok: false; message: string };

/**
 * The body of each hash thread (plain JavaScript, so it runs the same from dist/ and under Jest).
 * `os.setPriority(0, n)` is setpriority(PRIO_PROCESS, 0) and on Linux that is the calling thread
 * only: this thread gets the nice value, the event loop keeps its own.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const os = require('node:os');
try { os.setPriority(0, workerData.nice); } catch {}
const bcrypt = require(workerData.bcrypt);
parentPort.on('message', (job) => {
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

interface Slot {
  worker: Worker;
  busy?: { resolve: (v: string | boolean) => void; reject: (e: Error) => void };
}

/**
 * Native bcrypt on threads of its own at a lower CPU priority (a nice value, Linux: per thread),
 * instead of on libuv's thread pool at the event loop's priority. A login storm then uses every
 * core the requests do not need, and the event loop (listings, checkouts) is scheduled first when
 * both want a core. libuv's pool stays free for what else uses it (file and DNS work).
 *
 * `size` threads, one job each at a time; PasswordHasher bounds how many it hands over, and
 * jobs past `size` wait here in order. Threads start on first use and do not keep the process
 * alive; a thread that dies fails its job and is replaced on the next one.
 */
export class BcryptWorkerPool implements BcryptBinding {
  private readonly slots: (Slot | undefined)[];
  private readonly waiting: { job: Job; resolve: Slot['busy'] }[] = [];

  constructor(
    private readonly size: number,
    private readonly nice: number,
  ) {
    this.slots = new Array<Slot | undefined>(size).fill(undefined);
  }

  async hash(password: string, rounds: number): Promise<string> {
    return (await this.run({ op: 'hash', password, rounds })) as string;
  }

  async compare(password: string, hash: string): Promise<boolean> {
    return (await this.run({ op: 'compare', password, hash })) as boolean;
  }

  /** Stops every thread; jobs still running or waiting fail. */
  async close(): Promise<void> {
    const stopped = new Error('password hashing stopped');
    for (const w of this.waiting.splice(0)) w.resolve?.reject(stopped);
    await Promise.all(
      this.slots.map(async (s, i) => {
        this.slots[i] = undefined;
        if (!s) return;
        s.busy?.reject(stopped);
        s.busy = undefined;
        await s.worker.terminate();
      }),
    );
  }

  private run(job: Job): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      const i = this.freeSlot();
      if (i === -1) this.waiting.push({ job, resolve: { resolve, reject } });
      else this.start(i, job, { resolve, reject });
    });
  }

  private freeSlot(): number {
    for (let i = 0; i < this.size; i++) if (!this.slots[i]?.busy) return i;
    return -1;
  }

  private start(i: number, job: Job, done: NonNullable<Slot['busy']>): void {
    const slot = (this.slots[i] ??= this.spawn(i));
    slot.busy = done;
    slot.worker.postMessage(job);
  }

  private spawn(i: number): Slot {
    const worker = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { nice: this.nice, bcrypt: require.resolve('bcrypt') },
    });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (reply: Reply) => {
      const done = slot.busy;
      slot.busy = undefined;
      if (reply.ok) done?.resolve(reply.value);
      else done?.reject(new Error(reply.message));
      this.next();
    });
    const fail = (e: Error) => {
      if (this.slots[i] === slot) this.slots[i] = undefined;
      const done = slot.busy;
      slot.busy = undefined;
      done?.reject(e);
      this.next();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`bcrypt thread exited (${code})`)));
    return slot;
  }

  private next(): void {
    const i = this.waiting.length ? this.freeSlot() : -1;
    if (i === -1) return;
    const w = this.waiting.shift()!;
    this.start(i, w.job, w.resolve!);
  }
}
