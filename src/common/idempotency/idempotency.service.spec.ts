import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { IdempotencyService, KEEP_MS, requestHash, STALE_MS, WAIT_MS } from './idempotency.service';

describe('requestHash', () => {
  it('ignores the order of object keys', () => {
    expect(requestHash('POST', '/api/v1/orders', { a: 1, b: { c: 2, d: [1, 2] } })).toBe(
      requestHash('post', '/api/v1/orders', { b: { d: [1, 2], c: 2 }, a: 1 }),
    );
  });

  it('differs by method, path, values and array order', () => {
    const base = requestHash('POST', '/api/v1/orders', { a: 1, l: [1, 2] });
    expect(requestHash('PUT', '/api/v1/orders', { a: 1, l: [1, 2] })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/payments', { a: 1, l: [1, 2] })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/orders', { a: 2, l: [1, 2] })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/orders', { a: 1, l: [2, 1] })).not.toBe(base);
    expect(requestHash('POST', '/api/v1/orders', { a: '1', l: [1, 2] })).not.toBe(base);
  });
});

type Row = {
  userId: string;
  key: string;
  requestHash: string;
  state: 'in_progress' | 'done';
  responseStatus: number | null;
  responseBody: string | null;
  lockedAt: Date;
  createdAt: Date;
};

/** An in-memory idempotency_keys table with the primary key on (user, key). */
class FakeKeys {
  rows = new Map<string, Row>();
  calls: string[] = [];
  private id = (u: string, k: string) => `${u}/${k}`;

  async insertInProgress(
    _tx: unknown,
    k: { userId: string; key: string; requestHash: string; lockedAt: Date },
  ) {
    this.calls.push('insert');
    if (this.rows.has(this.id(k.userId, k.key))) {
      throw Object.assign(new Error('duplicate'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    }
    this.rows.set(this.id(k.userId, k.key), {
      ...k,
      state: 'in_progress',
      responseStatus: null,
      responseBody: null,
      createdAt: new Date(),
    });
  }
  async find(u: string, k: string) {
    return this.rows.get(this.id(u, k)) ?? null;
  }
  async takeOverStale(_tx: unknown, u: string, k: string, before: Date, now: Date) {
    this.calls.push('takeOver');
    const r = this.rows.get(this.id(u, k));
    if (!r || r.state !== 'in_progress' || r.lockedAt >= before) return false;
    r.lockedAt = now;
    return true;
  }
  async storeAnswer(tx: unknown, u: string, k: string, a: { status: number; body: string | null }) {
    this.calls.push('store');
    this.lastTx = tx;
    const r = this.rows.get(this.id(u, k));
    if (r) Object.assign(r, { state: 'done', responseStatus: a.status, responseBody: a.body });
  }
  lastTx: unknown;
  async deleteInProgress(_tx: unknown, u: string, k: string) {
    if (this.rows.get(this.id(u, k))?.state === 'in_progress') this.rows.delete(this.id(u, k));
  }
  async deleteDone(_tx: unknown, u: string, k: string) {
    if (this.rows.get(this.id(u, k))?.state === 'done') this.rows.delete(this.id(u, k));
  }
  async deleteDoneBefore(_tx: unknown, before: Date) {
    this.calls.push('cleanup');
    for (const [id, r] of this.rows)
      if (r.state === 'done' && r.createdAt < before) this.rows.delete(id);
  }
}

describe('IdempotencyService', () => {
  const setup = () => {
    const repo = new FakeKeys();
    const uow = new FakeUnitOfWork();
    return { repo, uow, keys: new IdempotencyService(repo as never, uow.asUnitOfWork()) };
  };
  const H = 'hash-1';

  it('lets the first request run and replays its stored answer to a repeat', async () => {
    const { keys } = setup();
    expect(await keys.begin('u1', 'k', 'checkout', H)).toEqual({ kind: 'run' });
    await keys.complete('u1', 'k', 201, { id: 'o1', total: 10.5 });
    expect(await keys.begin('u1', 'k', 'checkout', H)).toEqual({
      kind: 'replay',
      status: 201,
      body: { id: 'o1', total: 10.5 },
    });
  });

  it('keeps keys per user: the same key of another user runs', async () => {
    const { keys } = setup();
    await keys.begin('u1', 'k', 'checkout', H);
    await keys.complete('u1', 'k', 201, {});
    expect(await keys.begin('u2', 'k', 'checkout', H)).toEqual({ kind: 'run' });
  });

  it('refuses the same key with another body (IDEMPOTENCY_KEY_REUSED)', async () => {
    const { keys } = setup();
    await keys.begin('u1', 'k', 'checkout', H);
    await keys.complete('u1', 'k', 201, {});
    await expect(keys.begin('u1', 'k', 'checkout', 'hash-2')).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('replays a stored answer without a body as no body', async () => {
    const { keys } = setup();
    await keys.begin('u1', 'k', 'cancel', H);
    await keys.complete('u1', 'k', 204, undefined);
    expect(await keys.begin('u1', 'k', 'cancel', H)).toEqual({
      kind: 'replay',
      status: 204,
      body: undefined,
    });
  });

  it('runs again when the stored answer is older than KEEP_MS', async () => {
    const { keys, repo } = setup();
    await keys.begin('u1', 'k', 'checkout', H);
    await keys.complete('u1', 'k', 201, { id: 'old' });
    repo.rows.get('u1/k')!.createdAt = new Date(Date.now() - KEEP_MS - 1000);
    expect(await keys.begin('u1', 'k', 'checkout', H)).toEqual({ kind: 'run' });
    expect(repo.rows.get('u1/k')!.state).toBe('in_progress');
  });

  it('takes over a key whose request died (in progress for longer than STALE_MS)', async () => {
    const { keys, repo } = setup();
    await keys.begin('u1', 'k', 'checkout', H);
    repo.rows.get('u1/k')!.lockedAt = new Date(Date.now() - STALE_MS - 1000);
    const started = Date.now();
    expect(await keys.begin('u1', 'k', 'checkout', H)).toEqual({ kind: 'run' });
    expect(repo.calls).toContain('takeOver');
    expect(repo.rows.get('u1/k')!.lockedAt.getTime()).toBeGreaterThanOrEqual(started);
  });

  it('answers IDEMPOTENCY_IN_PROGRESS when the first request is still running after WAIT_MS', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const { keys, repo } = setup();
      await keys.begin('u1', 'k', 'checkout', H);
      const second = keys.begin('u1', 'k', 'checkout', H);
      const settled = expect(second).rejects.toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
      await jest.advanceTimersByTimeAsync(WAIT_MS + 200);
      await settled;
      expect(repo.calls.filter((c) => c === 'takeOver')).toEqual([]); // not stale: never taken
    } finally {
      jest.useRealTimers();
    }
  });

  it('frees the key after a server error, so a retry runs', async () => {
    const { keys } = setup();
    await keys.begin('u1', 'k', 'checkout', H);
    await keys.release('u1', 'k');
    expect(await keys.begin('u1', 'k', 'checkout', H)).toEqual({ kind: 'run' });
  });

  it('completeWithin stores the answer in the caller’s transaction, once, and marks the scope', async () => {
    const { keys, repo, uow } = setup();
    await keys.begin('u1', 'k', 'checkout', H);
    const runs = uow.runs;
    const scope = { userId: 'u1', key: 'k', stored: false };
    await keys.completeWithin(uow.tx, scope, 201, { id: 'o1' });
    expect(repo.lastTx).toBe(uow.tx);
    expect(uow.runs).toBe(runs); // no transaction of its own
    expect(scope.stored).toBe(true);
    await keys.completeWithin(uow.tx, scope, 201, { id: 'o2' });
    expect(repo.calls.filter((c) => c === 'store')).toHaveLength(1);
    expect(repo.rows.get('u1/k')).toMatchObject({ state: 'done', responseBody: '{"id":"o1"}' });
  });

  it('completeWithin stores again in a retried transaction (the first one rolled back)', async () => {
    const { keys, repo, uow } = setup();
    await keys.begin('u1', 'k', 'checkout', H);
    const scope = { userId: 'u1', key: 'k', stored: false };
    await keys.completeWithin(uow.tx, scope, 201, { id: 'o1' });
    // PostgreSQL retries the whole unit of work after a deadlock: a new transaction handle
    const retry = {} as typeof uow.tx;
    await keys.completeWithin(retry, scope, 201, { id: 'o2' });
    expect(repo.calls.filter((c) => c === 'store')).toHaveLength(2);
    expect(repo.lastTx).toBe(retry);
    expect(scope.stored).toBe(true);
  });

  it('completeWithin without a scope (no key sent) stores nothing', async () => {
    const { keys, repo, uow } = setup();
    await keys.completeWithin(uow.tx, undefined, 201, {});
    expect(repo.calls).toEqual([]);
  });

  it('cleans old answers up on the first call and then every 200 calls', async () => {
    const { keys, repo } = setup();
    for (let i = 0; i < 201; i++) await keys.begin('u1', `k${i}`, 'checkout', H);
    expect(repo.calls.filter((c) => c === 'cleanup')).toHaveLength(2);
  });
});
