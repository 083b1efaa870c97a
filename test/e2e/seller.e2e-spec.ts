import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { insertOrder } from '../factories/analytics';
import { checkout } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

describe('seller panel (e2e)', () => {
  let t: TestApp;
  let admin: Actor;
  let s1: Actor;
  let s2: Actor;
  let buyer: Actor;
  let p1: Product;
  let p2: Product;
  let p3: Product;
  let hidden: Product;
  let scarce: Product;

  const api = '/api/v1/seller';
  const get = (path: string, who: Actor) => t.http.get(`${api}/${path}`).set(who.auth);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
    s1 = await makeUser(t.http, 'seller');
    s2 = await makeUser(t.http, 'seller');
    buyer = await makeUser(t.http, 'customer');
    p1 = await insertProduct(t.ds, s1.id, { name: 'Шапан', price: 15000.5, quantity: 50 });
    p2 = await insertProduct(t.ds, s1.id, { name: 'Тюбетейка', price: 2500, quantity: 5 });
    hidden = await insertProduct(t.ds, s1.id, { name: 'Снят', quantity: 0, isActive: false });
    scarce = await insertProduct(t.ds, s1.id, { name: 'Кобыз', price: 40000, quantity: 1 });
    p3 = await insertProduct(t.ds, s2.id, { name: 'Курт', price: 300, quantity: 2 });
  });
  afterAll(() => t.close());

  describe('GET /seller/products', () => {
    it('lists own products only, inactive included, paginated', async () => {
      const res = await get('products?page_size=3', s1);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 4, page: 1, page_size: 3, pages: 2 });
      const all = [...res.body.items, ...(await get('products?page_size=3&page=2', s1)).body.items];
      expect(all.map((p: { id: string }) => p.id).sort()).toEqual(
        [p1.id, p2.id, hidden.id, scarce.id].sort(),
      );
      expect(all.find((p: { id: string }) => p.id === hidden.id)).toMatchObject({
        is_active: false,
        seller_id: s1.id,
        quantity: 0,
      });
      expect(all.find((p: { id: string }) => p.id === p1.id)).toMatchObject({
        name: 'Шапан',
        price: 15000.5,
        rating: 0,
        review_count: 0,
      });
      const other = await get('products', s2);
      expect(other.body.items.map((p: { id: string }) => p.id)).toEqual([p3.id]);
    });

    it('gives an admin their own (here none); 403 customer, 401 anonymous, 400 bad page', async () => {
      const res = await get('products', admin);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(0);
      expect((await get('products', buyer)).status).toBe(403);
      expect((await t.http.get(`${api}/products`)).status).toBe(401);
      expect((await get('products?page_size=1000', s1)).status).toBe(400);
      expect((await get('products?seller_id=' + s2.id, s1)).status).toBe(400);
    });
  });

  describe('GET /seller/orders', () => {
    let order: Record<string, any>;
    beforeAll(async () => {
      order = await checkout(t.http, buyer, [
        { product: p1, quantity: 2 },
        { product: p3, quantity: 1 },
      ]);
    });

    it('shows orders holding own items, with only own lines and fulfillment', async () => {
      const res = await get('orders', s1);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 1, page: 1, pages: 1 });
      const o = res.body.items[0];
      expect(o.id).toBe(order.id);
      expect(o.items).toHaveLength(1);
      expect(o.items[0]).toMatchObject({ product_id: p1.id, seller_id: s1.id, quantity: 2 });
      expect(o.fulfillments.map((f: { seller_id: string }) => f.seller_id)).toEqual([s1.id]);
      expect(JSON.stringify(o)).not.toContain(p3.id);
      const theirs = await get('orders', s2);
      expect(theirs.body.items[0].items.map((i: { product_id: string }) => i.product_id)).toEqual([
        p3.id,
      ]);
    });

    it('filters by the status of own fulfillment', async () => {
      const moved = await t.http
        .put(`/api/v1/orders/${order.id}/status`)
        .set(s2.auth)
        .send({ status: 'confirmed' });
      expect(moved.status).toBe(200);
      expect((await get('orders?status=confirmed', s2)).body.total).toBe(1);
      expect((await get('orders?status=pending', s2)).body.total).toBe(0);
      expect((await get('orders?status=confirmed', s1)).body.total).toBe(0);
      expect((await get('orders?status=pending', s1)).body.total).toBe(1);
    });

    it('is empty for a seller without sales; 400 bad status, 403 customer, 401', async () => {
      const fresh = await makeUser(t.http, 'seller');
      expect((await get('orders', fresh)).body).toMatchObject({ items: [], total: 0 });
      expect((await get('orders?status=lost', s1)).status).toBe(400);
      expect((await get('orders', buyer)).status).toBe(403);
      expect((await t.http.get(`${api}/orders`)).status).toBe(401);
    });
  });

  describe('GET /seller/analytics', () => {
    beforeAll(async () => {
      // s1's lines: counted 3×p1 + 2×p2 on 2 Mar, 1×p1 on 9 Mar; not counted: cancelled,
      // refunded, pending; s2's lines never count for s1.
      await insertOrder(t.ds, {
        userId: buyer.id,
        createdAt: '2026-03-02T08:00:00Z',
        fulfillments: [
          {
            status: 'delivered',
            delivery: 1500,
            lines: [
              { product: p1, quantity: 3 },
              { product: p2, quantity: 2 },
            ],
          },
          { status: 'delivered', delivery: 3000, lines: [{ product: p3, quantity: 2 }] },
        ],
      });
      await insertOrder(t.ds, {
        userId: buyer.id,
        createdAt: '2026-03-09T08:00:00Z',
        fulfillments: [
          { status: 'shipped', delivery: 1500, lines: [{ product: p1, quantity: 1 }] },
        ],
      });
      for (const status of ['cancelled', 'refunded', 'pending'] as const) {
        await insertOrder(t.ds, {
          userId: buyer.id,
          createdAt: '2026-03-03T08:00:00Z',
          fulfillments: [{ status, delivery: 1500, lines: [{ product: scarce, quantity: 1 }] }],
        });
      }
    });

    it('sums own counted lines (no delivery) with a series, top products and low stock', async () => {
      const res = await get('analytics?from=2026-03-01&to=2026-03-14&period=week', s1);
      expect(res.status).toBe(200);
      // 3 × 15000.50 + 2 × 2500 = 50001.50; + 15000.50 = 65002.00
      expect(res.body).toMatchObject({
        total_revenue: 65002,
        orders_count: 2,
        units_sold: 6,
        average_order_value: 32501,
      });
      expect(res.body.series).toEqual([
        { period_start: '2026-02-23', revenue: 0, orders: 0 },
        { period_start: '2026-03-02', revenue: 50001.5, orders: 1 },
        { period_start: '2026-03-09', revenue: 15000.5, orders: 1 },
      ]);
      expect(res.body.top_products).toEqual([
        { product_id: p1.id, name: 'Шапан', units_sold: 4, revenue: 60002 },
        { product_id: p2.id, name: 'Тюбетейка', units_sold: 2, revenue: 5000 },
      ]);
      expect(res.body.low_stock.map((p: { id: string; quantity: number }) => p.id)).toEqual([
        scarce.id,
        p2.id,
      ]);
      expect(res.body.low_stock[0]).toMatchObject({ name: 'Кобыз', quantity: 1, is_active: true });
    });

    it('counts only the other seller’s own lines for them', async () => {
      const res = await get('analytics?from=2026-03-01&to=2026-03-31&period=month', s2);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        total_revenue: 600,
        orders_count: 1,
        units_sold: 2,
        average_order_value: 600,
        series: [{ period_start: '2026-03-01', revenue: 600, orders: 1 }],
      });
      expect(res.body.low_stock.map((p: { id: string }) => p.id)).toEqual([p3.id]);
    });

    it('defaults to the last 30 days by day; 400 bad input, 403 customer, 401', async () => {
      const res = await get('analytics', s1);
      expect(res.status).toBe(200);
      expect(res.body.series).toHaveLength(30);
      expect(res.body.total_revenue).toBe(0); // the checkout above is still pending for s1
      for (const q of ['from=2026-03-10&to=2026-03-01', 'period=year', 'to=x', 'limit=3']) {
        expect([q, (await get(`analytics?${q}`, s1)).status]).toEqual([q, 400]);
      }
      expect((await get('analytics', buyer)).status).toBe(403);
      expect((await t.http.get(`${api}/analytics`)).status).toBe(401);
      expect((await get('analytics', admin)).status).toBe(200);
    });
  });
});
