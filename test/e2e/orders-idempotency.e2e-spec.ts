import { DomainError } from '../../src/common/errors/domain-error';
import { requestHash } from '../../src/common/idempotency/idempotency.service';
import { IdempotencyKey } from '../../src/common/idempotency/idempotency-key.entity';
import { CheckoutService } from '../../src/modules/orders/checkout.service';
import { Order } from '../../src/modules/orders/order.entity';
import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { DEFAULT_DELIVERY } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';
import { onRunnerOf, recordQueries } from '../support/queries';

const ORDERS = '/api/v1/orders';

/** A statement's first three words; the order's leads a data-modifying CTE on PostgreSQL (WITH w0 AS (INSERT …)). */
/**
 * The first words of each statement the app ran, in order; a statement of several writes
 * (PostgreSQL: `WITH w0 AS (…), w1 AS (…) UPDATE …`, the checkout's held writes) counts as
 * its writes in order, with no transaction boundary between them.
 */
const statementHeads = (q: { sql: string }) =>
  q.sql
    .trim()
    .split(/^WITH w\d+ AS \(|\), w\d+ AS \(|\) (?=(?:INSERT|UPDATE|DELETE|SELECT) )/)
    .filter(Boolean)
    .map((part) => part.trim().split(/\s+/).slice(0, 3).join(' '));

describe('POST /orders with Idempotency-Key (e2e)', () => {
  let t: TestApp;
  let seller: Actor;

  beforeAll(async () => {
    // the payment recovery sweep (every 5 s) would land its BEGIN/COMMIT inside a recorded window
    t = await createTestApp({ PAYMENT_RECOVERY_MS: '3600000' });
    seller = await makeUser(t.http, 'seller');
  });
  afterAll(() => t.close());

  const fill = async (who: Actor, quantity = 1, stock = 10) => {
    const p = await insertProduct(t.ds, seller.id, { quantity: stock });
    const res = await t.http
      .post('/api/v1/cart/items')
      .set(who.auth)
      .send({ product_id: p.id, quantity });
    expect(res.status).toBe(201);
    return p;
  };
  const post = (
    who: Actor,
    key: string | undefined,
    body: Record<string, unknown> = DEFAULT_DELIVERY,
  ) => {
    const req = t.http.post(ORDERS).set(who.auth);
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const ordersOf = (u: Actor) => t.ds.getRepository(Order).countBy({ userId: u.id });
  const stockOf = async (id: string) =>
    (await t.ds.getRepository(Product).findOneByOrFail({ id })).quantity;

  it('the same key and body replays the first response (status and body); one order, stock taken once', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await fill(u, 2);
    const first = await post(u, 'key-1');
    expect(first.status).toBe(201);
    // the cart is empty now: without the key a second POST would be a 400
    const again = await post(u, 'key-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await ordersOf(u)).toBe(1);
    expect(await stockOf(p.id)).toBe(8);
  });

  it('the answer is stored in the transaction that writes the order (a crash cannot split them)', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    let res: Awaited<ReturnType<typeof post>> | undefined;
    const log = onRunnerOf(
      await recordQueries(t.ds, async () => (res = await post(u, 'atomic-1'))),
      (q) => q.sql.includes('INSERT INTO "orders"'),
    ).flatMap(statementHeads);
    expect(res!.status).toBe(201);
    const order = log.findIndex((q) => q.startsWith('INSERT INTO "orders"'));
    const stored = log.findIndex((q) => q.startsWith('UPDATE "idempotency_keys"'));
    expect(order).toBeGreaterThan(-1);
    expect(stored).toBeGreaterThan(order);
    expect(log.slice(order, stored).some((q) => /^(COMMIT|BEGIN|START)/.test(q))).toBe(false);
    expect(log.slice(stored).filter((q) => q.startsWith('UPDATE "idempotency_keys"'))).toHaveLength(
      1,
    );
    const row = await t.ds
      .getRepository(IdempotencyKey)
      .findOneByOrFail({ userId: u.id, key: 'atomic-1' });
    expect(row.state).toBe('done');
    expect(row.responseStatus).toBe(201);
    expect(JSON.parse(row.responseBody!)).toEqual(res!.body);
  });

  it('the key is claimed in the same transaction as the order: one write transaction, not two', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    let res: Awaited<ReturnType<typeof post>> | undefined;
    const log = onRunnerOf(
      await recordQueries(t.ds, async () => (res = await post(u, 'one-tx-1'))),
      (q) => q.sql.startsWith('INSERT INTO "idempotency_keys"'),
    ).flatMap(statementHeads);
    expect(res!.status).toBe(201);
    const claim = log.findIndex((q) => q.startsWith('INSERT INTO "idempotency_keys"'));
    const order = log.findIndex((q) => q.startsWith('INSERT INTO "orders"'));
    expect(claim).toBeGreaterThan(-1);
    expect(order).toBeGreaterThan(claim);
    // no transaction ends or begins between the claim and the order
    expect(log.slice(claim, order).some((q) => /^(COMMIT|BEGIN|START)/.test(q))).toBe(false);
    expect(log.filter((q) => q.startsWith('INSERT INTO "idempotency_keys"'))).toHaveLength(1);
  });

  it('a duplicate whose own run ends in a 4xx after the first stored its answer replays that answer', async () => {
    // the first request's answer is stored; the duplicate (same key and body) runs its handler
    // only if it missed the key; either way it must answer with the first response, not its 400
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    const first = await post(u, 'key-late');
    expect(first.status).toBe(201);
    const spy = jest
      .spyOn(CheckoutService.prototype, 'checkout')
      .mockRejectedValueOnce(new DomainError('CART_EMPTY', 'The cart is empty'));
    try {
      const again = await post(u, 'key-late');
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
    } finally {
      spy.mockRestore();
    }
    expect(await ordersOf(u)).toBe(1);
  });

  it('the same key with another body → 422, nothing runs', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    expect((await post(u, 'key-2')).status).toBe(201);
    await fill(u);
    const res = await post(u, 'key-2', { ...DEFAULT_DELIVERY, delivery_method: 'express' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await ordersOf(u)).toBe(1);
    // key order of the body does not matter
    const reordered = Object.fromEntries(Object.entries(DEFAULT_DELIVERY).reverse());
    expect((await post(u, 'key-2', reordered)).status).toBe(201);
    expect(await ordersOf(u)).toBe(1);
  });

  it('keys of different users never collide', async () => {
    const u = await makeUser(t.http, 'customer');
    const v = await makeUser(t.http, 'customer');
    await fill(u);
    await fill(v);
    const a = await post(u, 'shared-key');
    const b = await post(v, 'shared-key');
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
    expect(b.body.user_id).toBe(v.id);
  });

  it('without a key every POST runs', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    expect((await post(u, undefined)).status).toBe(201);
    expect((await post(u, undefined)).status).toBe(400); // cart is empty now
  });

  it('a 4xx answer is stored and replayed too', async () => {
    const u = await makeUser(t.http, 'customer');
    const first = await post(u, 'key-4xx'); // empty cart
    expect(first.status).toBe(400);
    await fill(u);
    const again = await post(u, 'key-4xx');
    expect(again.status).toBe(400);
    expect(again.body).toEqual(first.body);
    expect(await ordersOf(u)).toBe(0);
    expect((await post(u, 'key-4xx-2')).status).toBe(201); // a new key runs
  });

  it('a 5xx frees the key: a retry with it runs', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    const spy = jest
      .spyOn(CheckoutService.prototype, 'checkout')
      .mockRejectedValueOnce(new Error('boom'));
    try {
      expect((await post(u, 'key-5xx')).status).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(await t.ds.getRepository(IdempotencyKey).countBy({ userId: u.id })).toBe(0);
    expect((await post(u, 'key-5xx')).status).toBe(201);
    expect(await ordersOf(u)).toBe(1);
  });

  it('concurrent duplicates: one order; the duplicate waits and replays it (or gets 409)', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await fill(u, 3);
    const results = await Promise.all([1, 2, 3].map(() => post(u, 'key-race')));
    for (const r of results) expect([201, 409]).toContain(r.status);
    const ok = results.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body.id)).size).toBe(1);
    expect(await ordersOf(u)).toBe(1);
    expect(await stockOf(p.id)).toBe(7);
  });

  it('a duplicate of a request still running (fresh in_progress row) → 409 after a short wait', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    const hash = requestHash('POST', ORDERS, DEFAULT_DELIVERY);
    await t.ds.getRepository(IdempotencyKey).insert({
      userId: u.id,
      key: 'key-busy',
      operation: 'orders.create',
      requestHash: hash,
      state: 'in_progress',
      lockedAt: new Date(),
    });
    const res = await post(u, 'key-busy');
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(await ordersOf(u)).toBe(0);
  });

  it('a stale in_progress row (its process died) is taken over', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    await t.ds.getRepository(IdempotencyKey).insert({
      userId: u.id,
      key: 'key-stale',
      operation: 'orders.create',
      requestHash: requestHash('POST', ORDERS, DEFAULT_DELIVERY),
      state: 'in_progress',
      lockedAt: new Date(Date.now() - 10 * 60_000),
    });
    const res = await post(u, 'key-stale');
    expect(res.status).toBe(201);
    const row = await t.ds
      .getRepository(IdempotencyKey)
      .findOneByOrFail({ userId: u.id, key: 'key-stale' });
    expect(row.state).toBe('done');
    expect(row.responseStatus).toBe(201);
  });

  it('a stored response is kept for 24 hours', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    const first = await post(u, 'key-day');
    const repo = t.ds.getRepository(IdempotencyKey);
    await repo.update(
      { userId: u.id, key: 'key-day' },
      { createdAt: new Date(Date.now() - 23 * 3600_000) },
    );
    const again = await post(u, 'key-day');
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('a bad key → 400', async () => {
    const u = await makeUser(t.http, 'customer');
    await fill(u);
    expect((await post(u, 'x'.repeat(256))).status).toBe(400);
    expect((await post(u, 'with space')).status).toBe(400);
    expect(await ordersOf(u)).toBe(0);
  });
});
