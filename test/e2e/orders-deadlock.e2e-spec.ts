import { createTestApp, TestApp } from '../create-test-app';
import { DEFAULT_DELIVERY } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

/**
 * Checkouts and cancels lock product rows in one global order (by id). Carts that hold the same
 * two products in opposite orders, checked out at once, must not deadlock on PostgreSQL (SQLite
 * runs write transactions one at a time, so it cannot deadlock). The deadlock counter of the
 * test database says whether any cycle happened, even one the retries would have hidden.
 */
describe('checkout lock order (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const deadlocks = async () =>
    Number(
      (
        await t.ds.query(
          'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()',
        )
      )[0].deadlocks,
    );

  it('sells to every cart, whatever the order of its lines, without a deadlock', async () => {
    const seller = await makeUser(t.http, 'seller');
    const products = await Promise.all(
      Array.from({ length: 4 }, () => insertProduct(t.ds, seller.id, { quantity: 1000 })),
    );
    const buyers: Actor[] = [];
    for (let i = 0; i < 16; i++) buyers.push(await makeUser(t.http, 'customer'));
    for (const [i, b] of buyers.entries()) {
      const lines = i % 2 ? [...products].reverse() : products;
      for (const p of lines) {
        const res = await t.http
          .post('/api/v1/cart/items')
          .set(b.auth)
          .send({ product_id: p.id, quantity: 1 });
        expect(res.status).toBe(201);
      }
    }
    if (t.db === 'postgres') await t.ds.query('SELECT pg_stat_clear_snapshot()');
    const before = t.db === 'postgres' ? await deadlocks() : 0;
    const results = await Promise.all(
      buyers.map((b) => t.http.post('/api/v1/orders').set(b.auth).send(DEFAULT_DELIVERY)),
    );
    expect(results.map((r) => r.status)).toEqual(buyers.map(() => 201));
    // cancel them all at once too: the restock takes the same locks
    const cancels = await Promise.all(
      results.map((r, i) => t.http.put(`/api/v1/orders/${r.body.id}/cancel`).set(buyers[i].auth)),
    );
    expect(cancels.map((r) => r.status)).toEqual(buyers.map(() => 200));
    if (t.db === 'postgres') {
      await new Promise((r) => setTimeout(r, 600)); // statistics reach pg_stat_database lazily
      await t.ds.query('SELECT pg_stat_clear_snapshot()');
      expect(await deadlocks()).toBe(before);
    }
    for (const p of products) {
      const res = await t.http.get(`/api/v1/products/${p.id}`);
      expect(res.body.quantity).toBe(1000);
    }
  });
});
