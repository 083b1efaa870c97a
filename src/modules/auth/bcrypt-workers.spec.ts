import { readdirSync, readFileSync } from 'node:fs';

import { BcryptWorkerPool } from './bcrypt-workers';
import { busyCores } from './testing/busy-cores';

/** A field of each thread's /proc/self/task/<tid>/stat (Linux), by its number in proc(5). */
function threadStat(field: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // the fields after the command's ")" start with field 3
    out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[field - 3]));
  }
  return out;
}
/** The nice value of each thread of this process (field 19). */
const threadNices = () => threadStat(19);
/** The scheduling policy of each thread (field 41): 0 SCHED_OTHER, 5 SCHED_IDLE. */
const threadPolicies = () => threadStat(41);
const SCHED_IDLE = 5;

describe('BcryptWorkerPool (native bcrypt on niced threads of its own)', () => {
  let pool: BcryptWorkerPool;
  afterEach(() => pool.close());

  it('hashes and compares like bcrypt, and fails a compare with a non-hash as false', async () => {
    pool = new BcryptWorkerPool(2, 10);
    const hash = await pool.hash('correct horse', 10);
    expect(hash).toMatch(/^\$2b\$10\$.{53}$/);
    await expect(pool.compare('correct horse', hash)).resolves.toBe(true);
    await expect(pool.compare('correct horsE', hash)).resolves.toBe(false);
    await expect(pool.compare('x', 'not-a-hash')).resolves.toBe(false);
  });

  it('runs the hashes at the nice value on their own threads; the event loop keeps its own', async () => {
    const before = threadNices();
    pool = new BcryptWorkerPool(2, 7);
    const hashes = await Promise.all([pool.hash('a', 4), pool.hash('b', 4), pool.hash('c', 4)]);
    expect(new Set(hashes).size).toBe(3);
    const added = [...threadNices()].filter(([tid]) => !before.has(tid));
    // each hash thread (a worker brings a few helper threads of its own, at the worker's value)
    expect(added.filter(([, nice]) => nice === 7).length).toBeGreaterThanOrEqual(2);
    expect(threadNices().get(process.pid)).toBe(before.get(process.pid));
  });

  it('with idle, runs the hashes at SCHED_IDLE on their own threads; the event loop keeps its policy', async () => {
    const before = threadPolicies();
    pool = new BcryptWorkerPool(2, 0, true);
    const hashes = await Promise.all([pool.hash('a', 4), pool.hash('b', 4), pool.hash('c', 4)]);
    await expect(pool.compare('b', hashes[1])).resolves.toBe(true);
    const added = [...threadPolicies()].filter(([tid]) => !before.has(tid));
    expect(added.filter(([, policy]) => policy === SCHED_IDLE).length).toBeGreaterThanOrEqual(2);
    expect(threadPolicies().get(process.pid)).toBe(0);
    // no thread that was there before changed its policy (one at SCHED_IDLE already may be a
    // thread of another spec's closed pool, ending its hash: jest reuses worker processes)
    const now = threadPolicies();
    const changed = [...before].filter(([tid, p]) => now.has(tid) && now.get(tid) !== p);
    expect(changed).toEqual([]);
  });

  it('with idle, a hash starved by busy cores is run again on a normal thread, and answered', async () => {
    const busy = await busyCores();
    try {
      pool = new BcryptWorkerPool(1, 0, true);
      const t0 = performance.now();
      // cost 13: ~0.5 s on a free core, so it cannot end unrescued within the 250 ms
      const hash = await pool.hash('starved', 13);
      expect(performance.now() - t0).toBeLessThan(10_000);
      expect(hash).toMatch(/^\$2b\$13\$.{53}$/);
      expect(pool.rescued).toBe(1);
      // the hash thread is still on the first job; the next one, waiting for it, is rescued too
      const t1 = performance.now();
      await expect(pool.compare('starved', hash)).resolves.toBe(true);
      expect(performance.now() - t1).toBeLessThan(10_000);
      expect(pool.rescued).toBe(2);
      // the rescue threads are at the normal policy, the hash thread at SCHED_IDLE
      const policies = [...threadPolicies().values()];
      expect(policies.filter((p) => p === SCHED_IDLE).length).toBeGreaterThanOrEqual(1);
    } finally {
      busy.stop();
    }
    // the starved thread's own late answer is dropped, and it takes the next job
    await expect(pool.compare('starved', await pool.hash('starved', 4))).resolves.toBe(true);
  }, 30_000);

  it('closes at once while a starved hash still runs, and fails it', async () => {
    const busy = await busyCores();
    try {
      pool = new BcryptWorkerPool(1, 0, true);
      await pool.hash('warm', 4); // the thread is up, at SCHED_IDLE
      // cost 14: ~1 s even on a free core, so a close that waited for it could not pass
      const failed = expect(pool.hash('starved', 14)).rejects.toThrow('stopped');
      await new Promise((r) => setTimeout(r, 100)); // in the native hash, not yet rescued
      const t0 = performance.now();
      await pool.close();
      expect(performance.now() - t0).toBeLessThan(500);
      await failed;
    } finally {
      busy.stop();
    }
  }, 30_000);

  it('closed while its threads start or hash, leaves none behind: each ends after its job', async () => {
    const threads = () => readdirSync('/proc/self/task').length;
    const before = threads();
    const busy = await busyCores();
    try {
      for (let i = 0; i < 10; i++) {
        const closing = new BcryptWorkerPool(1, 0, true);
        const job = closing.hash('a', 8).catch((e: Error) => e.message);
        await new Promise((r) => setTimeout(r, i * 15)); // loading bcrypt, or in the hash
        await closing.close();
        await expect(job).resolves.toMatch(/^(\$2b\$08\$.{53}|password hashing stopped)$/);
      }
    } finally {
      busy.stop();
    }
    const until = performance.now() + 10_000;
    while (threads() > before && performance.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(threads()).toBeLessThanOrEqual(before);
    pool = new BcryptWorkerPool(1, 0);
  }, 30_000);

  it('without idle, no thread is at SCHED_IDLE', async () => {
    const before = threadPolicies();
    pool = new BcryptWorkerPool(2, 0);
    await Promise.all([pool.hash('a', 4), pool.hash('b', 4)]);
    // (a thread of an earlier test's closed pool may still be ending its hash)
    const added = [...threadPolicies()].filter(([tid]) => !before.has(tid));
    expect(added.length).toBeGreaterThanOrEqual(2);
    expect(added.filter(([, p]) => p === SCHED_IDLE)).toEqual([]);
  });

  it('keeps the event loop free while a hash runs', async () => {
    pool = new BcryptWorkerPool(1, 10);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await pool.hash('slow', 12); // ≥ 150 ms of CPU
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('queues jobs past its size in order and answers each', async () => {
    pool = new BcryptWorkerPool(1, 10);
    const h = await pool.hash('p', 4);
    const answers = await Promise.all(['p', 'q', 'p', 'r'].map((pw) => pool.compare(pw, h)));
    expect(answers).toEqual([true, false, true, false]);
  });

  it('fails the waiting jobs when closed', async () => {
    pool = new BcryptWorkerPool(1, 10);
    const running = expect(pool.hash('a', 12)).rejects.toThrow('stopped');
    const waiting = expect(pool.hash('b', 12)).rejects.toThrow('stopped');
    await pool.close();
    await Promise.all([running, waiting]);
  });
});
