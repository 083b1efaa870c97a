import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';

import { Order } from '../../src/modules/orders/order.entity';
import { Product } from '../../src/modules/products/product.entity';
import { StockMovement } from '../../src/modules/products/stock-movement.entity';
import { createTestApp, createTestDatabase, isPgRun, TestApp } from '../create-test-app';
import { DEFAULT_DELIVERY } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

/** Makes n customers, 10 at a time (registration hashes a password). */
async function customers(http: TestAgent, n: number): Promise<Actor[]> {
  const out: Actor[] = [];
  while (out.length < n) {
    const batch = Math.min(10, n - out.length);
    out.push(
      ...(await Promise.all(Array.from({ length: batch }, () => makeUser(http, 'customer')))),
    );
  }
  return out;
}

async function fillCarts(http: TestAgent, buyers: Actor[], productIds: string[]) {
  await Promise.all(
    buyers.map(async (b) => {
      for (const product_id of productIds) {
        const res = await http
          .post('/api/v1/cart/items')
          .set(b.auth)
          .send({ product_id, quantity: 1 });
        if (res.status !== 201) throw new Error(`cart: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }),
  );
}

async function ledgerSum(ds: DataSource, productId: string): Promise<number> {
  const rows = await ds.getRepository(StockMovement).findBy({ productId });
  return rows.reduce((a, r) => a + Number(r.delta), 0);
}

describe('checkout never oversells (e2e)', () => {
  let t: TestApp;
  let seller: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    seller = await makeUser(t.http, 'seller');
  });
  afterAll(() => t.close());

  it('50 buyers racing for 5 units: exactly 5 × 201, 45 × 409, stock 0', async () => {
    const p = await insertProduct(t.ds, seller.id, { quantity: 5, name: 'Последние 5' });
    const buyers = await customers(t.http, 50);
    await fillCarts(t.http, buyers, [p.id]);
    const results = await Promise.all(
      buyers.map((b) => t.http.post('/api/v1/orders').set(b.auth).send(DEFAULT_DELIVERY)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(45);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.products[0]).toMatchObject({ product_id: p.id, requested: 1 });
    }
    const product = await t.ds.getRepository(Product).findOneByOrFail({ id: p.id });
    expect(product.quantity).toBe(0);
    expect(product.soldCount).toBe(5);
    expect(await ledgerSum(t.ds, p.id)).toBe(0);
    const orders = await t.ds
      .getRepository(Order)
      .createQueryBuilder('o')
      .innerJoin('order_items', 'i', 'i.order_id = o.id')
      .where('i.product_id = :p', { p: p.id })
      .getCount();
    expect(orders).toBe(5);
  });

  it('a losing multi-line checkout rolls back the lines it had already taken', async () => {
    const plenty = await insertProduct(t.ds, seller.id, { quantity: 100 });
    const scarce = await insertProduct(t.ds, seller.id, { quantity: 4 });
    const buyers = await customers(t.http, 16);
    await fillCarts(t.http, buyers, [plenty.id, scarce.id]); // plenty is taken first
    const results = await Promise.all(
      buyers.map((b) => t.http.post('/api/v1/orders').set(b.auth).send(DEFAULT_DELIVERY)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    expect(results.filter((r) => r.status === 409)).toHaveLength(12);
    const repo = t.ds.getRepository(Product);
    expect((await repo.findOneByOrFail({ id: scarce.id })).quantity).toBe(0);
    expect((await repo.findOneByOrFail({ id: plenty.id })).quantity).toBe(96);
    expect(await ledgerSum(t.ds, plenty.id)).toBe(96);
    // the losers keep their carts
    const loser = buyers[results.findIndex((r) => r.status === 409)];
    const cart = await t.http.get('/api/v1/cart').set(loser.auth);
    expect(cart.body.items).toHaveLength(2);
  });

  // Two apps in one Node process share one thread: on SQLite the synchronous busy wait of one
  // connection would stall the other's commit (see outbox.e2e-spec.ts), so the two-instance race
  // runs on PostgreSQL (defined only in the PostgreSQL run, `npm run test:pg`).
  if (isPgRun())
    it('two server instances on one PostgreSQL database: 50 buyers, 5 units, 5 orders', async () => {
      const db = await createTestDatabase();
      const a = await createTestApp({}, db);
      const b = await createTestApp({}, db);
      try {
        const s = await makeUser(a.http, 'seller');
        const p = await insertProduct(a.ds, s.id, { quantity: 5 });
        const buyers = await customers(a.http, 50);
        await fillCarts(b.http, buyers, [p.id]);
        const results = await Promise.all(
          buyers.map((u, i) =>
            (i % 2 ? a.http : b.http).post('/api/v1/orders').set(u.auth).send(DEFAULT_DELIVERY),
          ),
        );
        expect(results.filter((r) => r.status === 201)).toHaveLength(5);
        expect(results.filter((r) => r.status === 409)).toHaveLength(45);
        expect((await a.ds.getRepository(Product).findOneByOrFail({ id: p.id })).quantity).toBe(0);
        expect(await ledgerSum(a.ds, p.id)).toBe(0);
        expect(await a.ds.getRepository(Order).count()).toBe(5);
      } finally {
        await a.close();
        await b.close();
        await db.drop();
      }
    });
});
