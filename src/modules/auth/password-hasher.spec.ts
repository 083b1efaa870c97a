import { availableParallelism } from 'node:os';

import { loadConfig } from '../../config/app-config';
import { Metrics } from '../../observability/metrics';
import { HASH_SHARE_WINDOW_MS } from './hash-share';
import { BcryptBinding, PasswordHasher } from './password-hasher';
import { busyCores } from './testing/busy-cores';

/** Hashes bcryptjs 3.0.3 wrote for 'correct horse' (the `$2a$` one as bcryptjs 2 wrote them). */
const BCRYPTJS_HASHES = [
  '$2a$10$fB26V5QVMnPx541yxamB3e7uEvAWpwRr2qt6wdj01VPsPRiLEOole',
  '$2b$10$C8Wya1PrTxXxpHd1KlwCuu53CunSL4vac97NnamvYi23mVY6TIa2q',
  '$2b$11$ZXkTZHB.aQStzDLd6Q/NIuMAWJcznWO7fvPfHUuUppHi1xrTt9SLW',
];

describe('PasswordHasher (native bcrypt)', () => {
  const hasher = new PasswordHasher(loadConfig({ NODE_ENV: 'test' }));
  afterAll(() => hasher.onModuleDestroy());

  it('hashes with cost 10 and verifies', async () => {
    const hash = await hasher.hash('correct horse');
    expect(hash).toMatch(/^\$2b\$10\$.{53}$/);
    await expect(hasher.verify('correct horse', hash)).resolves.toBe(true);
    await expect(hasher.verify('wrong horse', hash)).resolves.toBe(false);
    await expect(hasher.verifyDummy('anything')).resolves.toBe(false);
  });

  it.each(BCRYPTJS_HASHES)('keeps verifying a hash bcryptjs made: %s', async (hash) => {
    await expect(hasher.verify('correct horse', hash)).resolves.toBe(true);
    await expect(hasher.verify('correct horsE', hash)).resolves.toBe(false);
  });

  it('answers false, not an error, for a stored value that is not a bcrypt hash', async () => {
    await expect(hasher.verify('x', 'not-a-hash')).resolves.toBe(false);
  });
});

/** A binding whose hashes finish only when the test says so. */
class ManualBinding implements BcryptBinding {
  pending: { password: string; done: (v: string) => void }[] = [];
  hash(password: string): Promise<string> {
    return new Promise((done) => this.pending.push({ password, done }));
  }
  compare(password: string, hash: string): Promise<boolean> {
    return this.hash(password).then(() => hash === `h:${password}`);
  }
  finishNext(): void {
    const job = this.pending.shift()!;
    job.done(`h:${job.password}`);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

describe('PasswordHasher bound on waiting hashes', () => {
  const setup = (concurrency: number, queue: number) => {
    const binding = new ManualBinding();
    const config = loadConfig({
      NODE_ENV: 'test',
      PASSWORD_HASH_CONCURRENCY: String(concurrency),
      PASSWORD_HASH_QUEUE: String(queue),
    });
    return { binding, hasher: new PasswordHasher(config, binding) };
  };

  it('runs up to the concurrency, queues up to the bound, and refuses past it with 503', async () => {
    const { binding, hasher } = setup(2, 1);
    const a = hasher.hash('a');
    const b = hasher.hash('b');
    const c = hasher.hash('c'); // waits
    await flush();
    expect(binding.pending.map((p) => p.password)).toEqual(['a', 'b']);
    expect(hasher.load).toEqual({ running: 2, waiting: 1 });
    await expect(hasher.hash('d')).rejects.toMatchObject({
      code: 'PASSWORD_HASH_BUSY',
      status: 503,
      retryAfter: 1,
    });
    await expect(hasher.verify('d', 'h:d')).rejects.toMatchObject({ code: 'PASSWORD_HASH_BUSY' });
    binding.finishNext(); // a ends: c takes its slot
    await expect(a).resolves.toBe('h:a');
    await flush();
    expect(binding.pending.map((p) => p.password)).toEqual(['b', 'c']);
    expect(hasher.load).toEqual({ running: 2, waiting: 0 });
    const e = hasher.hash('e'); // room in the queue again
    binding.finishNext();
    binding.finishNext();
    await flush();
    binding.finishNext();
    await expect(Promise.all([b, c, e])).resolves.toEqual(['h:b', 'h:c', 'h:e']);
    expect(hasher.load).toEqual({ running: 0, waiting: 0 });
  });

  it('with PASSWORD_HASH_QUEUE=0 refuses whatever finds every slot busy', async () => {
    const { binding, hasher } = setup(1, 0);
    const a = hasher.hash('a');
    await expect(hasher.hash('b')).rejects.toMatchObject({ code: 'PASSWORD_HASH_BUSY' });
    binding.finishNext();
    await expect(a).resolves.toBe('h:a');
    const c = hasher.hash('c');
    await flush();
    binding.finishNext();
    await expect(c).resolves.toBe('h:c');
  });

  it('frees the slot when a hash fails', async () => {
    const failing: BcryptBinding = {
      hash: () => Promise.reject(new Error('boom')),
      compare: () => Promise.resolve(true),
    };
    const config = loadConfig({
      NODE_ENV: 'test',
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE: '0',
    });
    const hasher = new PasswordHasher(config, failing);
    await expect(hasher.hash('a')).rejects.toThrow('boom');
    await expect(hasher.verify('a', 'x')).resolves.toBe(true);
    expect(hasher.load).toEqual({ running: 0, waiting: 0 });
  });

  it("sizes the defaults from the cores, not from libuv's pool (hashes run on threads of their own)", () => {
    const c = loadConfig({ NODE_ENV: 'test', UV_THREADPOOL_SIZE: '6' });
    expect(c.passwordHash).toEqual({
      concurrency: availableParallelism(),
      queue: 64,
      nice: 0,
      idle: true,
      yieldCores: 1,
    });
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_IDLE: 'false' }).passwordHash.idle).toBe(
      false,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_IDLE: 'yes' })).toThrow(
      /PASSWORD_HASH_IDLE/,
    );
    expect(
      loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_YIELD_CORES: '0' }).passwordHash.yieldCores,
    ).toBe(0);
    expect(() => loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_YIELD_CORES: '-1' })).toThrow(
      'PASSWORD_HASH_YIELD_CORES',
    );
    expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_NICE: '19' }).passwordHash.nice).toBe(19);
    expect(() => loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_NICE: '20' })).toThrow(
      'PASSWORD_HASH_NICE',
    );
  });
});

describe('PasswordHasher sharing the cores with other requests', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  const setup = (yieldCores: string) => {
    const binding = new ManualBinding();
    const metrics = new Metrics();
    const config = loadConfig({
      NODE_ENV: 'test',
      PASSWORD_HASH_CONCURRENCY: '2',
      PASSWORD_HASH_YIELD_CORES: yieldCores,
    });
    const hasher = new PasswordHasher(config, binding, metrics);
    const otherAnswers = (n: number) => {
      for (let i = 0; i < n; i++) metrics.observeRequest('GET', '/api/v1/products', 200, 0.001);
    };
    return { binding, hasher, otherAnswers };
  };

  it('runs one hash at a time while other requests are answered, both slots once they stop', async () => {
    const { binding, hasher, otherAnswers } = setup('1');
    otherAnswers(50);
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
    expect(hasher.slots).toBe(1);
    const done = ['a', 'b', 'c'].map((p) => hasher.hash(p));
    await flush();
    expect(binding.pending.map((p) => p.password)).toEqual(['a']);
    expect(hasher.load).toEqual({ running: 1, waiting: 2 });
    otherAnswers(50);
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
    binding.finishNext(); // a ends: b takes its one slot
    await flush();
    expect(binding.pending.map((p) => p.password)).toEqual(['b']);
    // a window without other answers: c starts beside b at once, without waiting for b
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
    expect(hasher.slots).toBe(2);
    await flush();
    expect(binding.pending.map((p) => p.password)).toEqual(['b', 'c']);
    expect(hasher.load).toEqual({ running: 2, waiting: 0 });
    binding.finishNext();
    binding.finishNext();
    await expect(Promise.all(done)).resolves.toEqual(['h:a', 'h:b', 'h:c']);
    await hasher.onModuleDestroy();
  });

  it('a storm alone keeps both slots: its own answers are not other traffic', async () => {
    const { binding, hasher, otherAnswers } = setup('1');
    for (let round = 0; round < 3; round++) {
      const pair = [hasher.verify('x', 'h:x'), hasher.verify('y', 'h:y')];
      await flush();
      expect(binding.pending).toHaveLength(2);
      binding.finishNext();
      binding.finishNext();
      await Promise.all(pair);
      otherAnswers(2); // the two logins' answers
      jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
      expect(hasher.slots).toBe(2);
    }
    await hasher.onModuleDestroy();
  });

  it('with PASSWORD_HASH_YIELD_CORES=0 other traffic changes nothing', async () => {
    const { binding, hasher, otherAnswers } = setup('0');
    otherAnswers(50);
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
    expect(hasher.slots).toBe(2);
    const done = [hasher.hash('a'), hasher.hash('b')];
    await flush();
    expect(binding.pending).toHaveLength(2);
    binding.finishNext();
    binding.finishNext();
    await Promise.all(done);
    await hasher.onModuleDestroy();
  });
});

describe('PasswordHasher on SCHED_IDLE hash threads (the default)', () => {
  it('counts a hash starved by busy cores and run again at the normal policy', async () => {
    const metrics = new Metrics();
    const hasher = new PasswordHasher(
      // cost 13: ~0.5 s of CPU, which a starved thread cannot find within the 250 ms rescue time
      // even while the spinners leave it a core for a moment (cost 10 did once, in CI)
      loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '13', PASSWORD_HASH_CONCURRENCY: '1' }),
      undefined,
      metrics,
    );
    const busy = await busyCores();
    try {
      await expect(hasher.verify('pw', await hasher.hash('pw'))).resolves.toBe(true);
    } finally {
      busy.stop();
      await hasher.onModuleDestroy();
    }
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^bibarys_password_hash_rescues_total 2$/m);
  }, 30_000);
});
