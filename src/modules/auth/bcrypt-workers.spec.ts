import { readdirSync, readFileSync } from 'node:fs';

import { BcryptWorkerPool } from './bcrypt-workers';

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return out;
}

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
