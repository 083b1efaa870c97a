import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { insertOrder, setUserCreatedAt } from '../factories/analytics';
import { checkout } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

/**
 * A known data set (orders in every status, over several days, weeks and months) and the exact
 * figures it must give, on SQLite and on PostgreSQL.
 */
describe('analytics (e2e)', () => {
  let t: TestApp;
  let admin: Actor;
  let s1: Actor;
  let s2: Actor;
  let c1: Actor;
  let c2: Actor;
  let c3: Actor;
  let p1: Product;
  let p2: Product;
  let p3: Product;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
    s1 = await makeUser(t.http, 'seller');
    s2 = await makeUser(t.http, 'seller');
    c1 = await makeUser(t.http, 'customer');
    c2 = await makeUser(t.http, 'customer');
    c3 = await makeUser(t.http, 'customer');
    await setUserCreatedAt(t.ds, c1.id, '2026-03-02T08:00:00Z');
    await setUserCreatedAt(t.ds, c2.id, '2026-03-09T08:00:00Z');
    await setUserCreatedAt(t.ds, c3.id, '2026-03-31T23:30:00Z');
    p1 = await insertProduct(t.ds, s1.id, {
      name: 'Ноутбук',
      price: 1000.5,
      category: 'electronics',
    });
    p2 = await insertProduct(t.ds, s1.id, { name: 'Книга', price: 250.25, category: 'books' });
    p3 = await insertProduct(t.ds, s2.id, { name: 'Юла', price: 99.99, category: 'toys' });

    // O1 Mon 2 Mar, delivered: 2001.00 + 1500 = 3501.00
    await insertOrder(t.ds, {
      userId: c1.id,
      createdAt: '2026-03-02T10:00:00Z',
      fulfillments: [
        { status: 'delivered', delivery: 1500, lines: [{ product: p1, quantity: 2 }] },
      ],
    });
    // O2 the last millisecond of 2 Mar, two sellers: 750.75 + 1500 + 99.99 + 3000 = 5350.74
    await insertOrder(t.ds, {
      userId: c2.id,
      createdAt: '2026-03-02T23:59:59.999Z',
      fulfillments: [
        { status: 'confirmed', delivery: 1500, lines: [{ product: p2, quantity: 3 }] },
        { status: 'shipped', delivery: 3000, lines: [{ product: p3, quantity: 1 }] },
      ],
    });
    // O3 3 Mar, cancelled: nothing
    await insertOrder(t.ds, {
      userId: c1.id,
      createdAt: '2026-03-03T00:00:00Z',
      fulfillments: [
        { status: 'cancelled', delivery: 1500, lines: [{ product: p1, quantity: 1 }] },
      ],
    });
    // O4 4 Mar, refunded: nothing
    await insertOrder(t.ds, {
      userId: c3.id,
      createdAt: '2026-03-04T12:00:00Z',
      fulfillments: [{ status: 'refunded', delivery: 5000, lines: [{ product: p3, quantity: 5 }] }],
    });
    // O5 4 Mar, pending (not paid yet): nothing
    await insertOrder(t.ds, {
      userId: c3.id,
      createdAt: '2026-03-04T13:00:00Z',
      fulfillments: [{ status: 'pending', delivery: 1500, lines: [{ product: p2, quantity: 1 }] }],
    });
    // O6 Mon 9 Mar, one parcel processing (1000.50 + 3000), the other cancelled: 4000.50
    await insertOrder(t.ds, {
      userId: c2.id,
      createdAt: '2026-03-09T09:00:00Z',
      fulfillments: [
        { status: 'processing', delivery: 3000, lines: [{ product: p1, quantity: 1 }] },
        { status: 'cancelled', delivery: 1500, lines: [{ product: p3, quantity: 2 }] },
      ],
    });
    // O7 1 Apr, delivered: 999.90 + 1500 = 2499.90
    await insertOrder(t.ds, {
      userId: c1.id,
      createdAt: '2026-04-01T15:00:00Z',
      fulfillments: [
        { status: 'delivered', delivery: 1500, lines: [{ product: p3, quantity: 10 }] },
      ],
    });
    // O8 28 Feb, delivered: 1000.50 + 1500 = 2500.50 (outside a March range)
    await insertOrder(t.ds, {
      userId: c1.id,
      createdAt: '2026-02-28T23:59:00Z',
      fulfillments: [
        { status: 'delivered', delivery: 1500, lines: [{ product: p1, quantity: 1 }] },
      ],
    });
    // O9 Thu 1 Jan 2026, delivered: 250.25 + 1500 = 1750.25 (a week that starts in 2025)
    await insertOrder(t.ds, {
      userId: c1.id,
      createdAt: '2026-01-01T00:30:00Z',
      fulfillments: [
        { status: 'delivered', delivery: 1500, lines: [{ product: p2, quantity: 1 }] },
      ],
    });
  });
  afterAll(() => t.close());

  /** The figures below are of UTC days unless the query names a zone (the default is Almaty). */
  const utc = (path: string) =>
    path.includes('tz=') ? path : `${path}${path.includes('?') ? '&' : '?'}tz=UTC`;
  const get = (path: string, who: Actor = admin) =>
    t.http.get(`/api/v1/analytics/${utc(path)}`).set(who.auth);
  const sellerGet = (query: string, who: Actor) =>
    t.http.get(`/api/v1/seller/analytics?${query}`).set(who.auth);
  const MARCH = 'from=2026-03-01&to=2026-04-01';

  describe('GET /analytics/sales', () => {
    it('counts confirmed..delivered fulfillments (lines + delivery) per day, empty days as 0', async () => {
      const res = await get(`sales?${MARCH}&period=day`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        total_revenue: 15352.14,
        orders_count: 4,
        average_order_value: 3838.04,
      });
      const series = res.body.series as { period_start: string; revenue: number; orders: number }[];
      expect(series).toHaveLength(32);
      expect(series[0]).toEqual({ period_start: '2026-03-01', revenue: 0, orders: 0 });
      expect(series[31]).toEqual({ period_start: '2026-04-01', revenue: 2499.9, orders: 1 });
      const nonZero = series.filter((p) => p.revenue !== 0 || p.orders !== 0);
      expect(nonZero).toEqual([
        { period_start: '2026-03-02', revenue: 8851.74, orders: 2 },
        { period_start: '2026-03-09', revenue: 4000.5, orders: 1 },
        { period_start: '2026-04-01', revenue: 2499.9, orders: 1 },
      ]);
      expect(series.map((p) => p.period_start)).toEqual(
        [...Array(32)].map((_, i) => new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10)),
      );
    });

    it('groups weeks starting on Monday, including the partial first and last week', async () => {
      const res = await get(`sales?${MARCH}&period=week`);
      expect(res.status).toBe(200);
      expect(res.body.total_revenue).toBe(15352.14);
      expect(res.body.series).toEqual([
        { period_start: '2026-02-23', revenue: 0, orders: 0 },
        { period_start: '2026-03-02', revenue: 8851.74, orders: 2 },
        { period_start: '2026-03-09', revenue: 4000.5, orders: 1 },
        { period_start: '2026-03-16', revenue: 0, orders: 0 },
        { period_start: '2026-03-23', revenue: 0, orders: 0 },
        { period_start: '2026-03-30', revenue: 2499.9, orders: 1 },
      ]);
    });

    it('groups months', async () => {
      const res = await get('sales?from=2026-02-01&to=2026-04-30&period=month');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        total_revenue: 17852.64,
        orders_count: 5,
        average_order_value: 3570.53,
        series: [
          { period_start: '2026-02-01', revenue: 2500.5, orders: 1 },
          { period_start: '2026-03-01', revenue: 12852.24, orders: 3 },
          { period_start: '2026-04-01', revenue: 2499.9, orders: 1 },
        ],
      });
    });

    it('puts a Thursday in the week that started the Monday before, across the new year', async () => {
      const week = await get('sales?from=2025-12-28&to=2026-01-04&period=week');
      expect(week.status).toBe(200);
      expect(week.body.series).toEqual([
        { period_start: '2025-12-22', revenue: 0, orders: 0 },
        { period_start: '2025-12-29', revenue: 1750.25, orders: 1 },
      ]);
      const month = await get('sales?from=2025-12-01&to=2026-01-31&period=month');
      expect(month.body.series).toEqual([
        { period_start: '2025-12-01', revenue: 0, orders: 0 },
        { period_start: '2026-01-01', revenue: 1750.25, orders: 1 },
      ]);
    });

    it('takes date-times as exact bounds', async () => {
      const res = await get('sales?from=2026-03-02T23:00:00Z&to=2026-03-09T09:00:00Z');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total_revenue: 9351.24, orders_count: 2 });
      expect(res.body.series.map((p: { period_start: string }) => p.period_start)).toEqual([
        '2026-03-02',
        '2026-03-03',
        '2026-03-04',
        '2026-03-05',
        '2026-03-06',
        '2026-03-07',
        '2026-03-08',
        '2026-03-09',
      ]);
    });

    it('defaults to the last 30 days by day (today included), all zeros here', async () => {
      const res = await get('sales');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total_revenue: 0, orders_count: 0, average_order_value: 0 });
      expect(res.body.series).toHaveLength(30);
      const today = new Date().toISOString().slice(0, 10);
      expect(res.body.series[29].period_start).toBe(today);
    });

    it('answers 400 for bad dates, from after to, a too long range, bad period or unknown fields', async () => {
      for (const q of [
        'from=yesterday',
        'to=2026-13-01',
        'from=2026-02-30',
        'from=2026-03-05&to=2026-03-01',
        'from=2020-01-01&to=2026-01-01',
        'period=year',
        'limit=5',
        'from=',
      ]) {
        const res = await get(`sales?${q}`);
        expect([q, res.status]).toEqual([q, 400]);
      }
    });

    it('is for admins only: 401 without a token, 403 for sellers and customers', async () => {
      expect((await t.http.get('/api/v1/analytics/sales')).status).toBe(401);
      expect((await get('sales', s1)).status).toBe(403);
      expect((await get('sales', c1)).status).toBe(403);
    });
  });

  describe('GET /analytics/products', () => {
    it('ranks products by units then revenue, and sums categories', async () => {
      const res = await get(`products?${MARCH}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        top_products: [
          { product_id: p3.id, name: 'Юла', units_sold: 11, revenue: 1099.89 },
          { product_id: p1.id, name: 'Ноутбук', units_sold: 3, revenue: 3001.5 },
          { product_id: p2.id, name: 'Книга', units_sold: 3, revenue: 750.75 },
        ],
        by_category: [
          { category: 'electronics', units_sold: 3, revenue: 3001.5 },
          { category: 'toys', units_sold: 11, revenue: 1099.89 },
          { category: 'books', units_sold: 3, revenue: 750.75 },
        ],
      });
    });

    it('honours limit (1..100, else 400)', async () => {
      const res = await get(`products?${MARCH}&limit=1`);
      expect(res.status).toBe(200);
      expect(res.body.top_products).toHaveLength(1);
      expect(res.body.top_products[0].product_id).toBe(p3.id);
      for (const l of ['0', '101', 'x', '1.5']) {
        expect((await get(`products?limit=${l}`)).status).toBe(400);
      }
    });

    it('answers 400 for from after to, 403 for a seller', async () => {
      expect((await get('products?from=2026-04-01&to=2026-03-01')).status).toBe(400);
      expect((await get('products', s2)).status).toBe(403);
      expect((await t.http.get('/api/v1/analytics/products')).status).toBe(401);
    });
  });

  describe('GET /analytics/users', () => {
    it('counts users by role, registrations per period and active buyers', async () => {
      const res = await get('users?from=2026-03-01&to=2026-03-31&period=week');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        total_users: 6,
        users_by_role: { customer: 3, seller: 2, admin: 1 },
        new_users: [
          { period_start: '2026-02-23', count: 0 },
          { period_start: '2026-03-02', count: 1 },
          { period_start: '2026-03-09', count: 1 },
          { period_start: '2026-03-16', count: 0 },
          { period_start: '2026-03-23', count: 0 },
          { period_start: '2026-03-30', count: 1 },
        ],
        active_buyers: 2,
      });
    });

    it('counts a buyer only for counted orders in the range', async () => {
      const res = await get('users?from=2026-03-04&to=2026-03-04');
      expect(res.status).toBe(200);
      expect(res.body.active_buyers).toBe(0); // c3's orders that day: refunded and pending
      expect(res.body.new_users).toEqual([{ period_start: '2026-03-04', count: 0 }]);
    });

    it('answers 400 for a bad period and 403 for a customer', async () => {
      expect((await get('users?period=hour')).status).toBe(400);
      expect((await get('users', c2)).status).toBe(403);
      expect((await t.http.get('/api/v1/analytics/users')).status).toBe(401);
    });
  });

  describe('GET /analytics/dashboard', () => {
    it('sums the three reports up for the range', async () => {
      const res = await get(`dashboard?${MARCH}&period=month`);
      expect(res.status).toBe(200);
      expect(res.body.sales).toEqual({
        total_revenue: 15352.14,
        orders_count: 4,
        average_order_value: 3838.04,
        series: [
          { period_start: '2026-03-01', revenue: 12852.24, orders: 3 },
          { period_start: '2026-04-01', revenue: 2499.9, orders: 1 },
        ],
      });
      expect(res.body.top_products.map((p: { product_id: string }) => p.product_id)).toEqual([
        p3.id,
        p1.id,
        p2.id,
      ]);
      expect(res.body.users).toEqual({
        total_users: 6,
        users_by_role: { customer: 3, seller: 2, admin: 1 },
        new_users: 3,
        active_buyers: 2,
      });
    });

    it('answers 400 for bad input and 403 for a seller', async () => {
      expect((await get('dashboard?to=nope')).status).toBe(400);
      expect((await get('dashboard', s1)).status).toBe(403);
      expect((await t.http.get('/api/v1/analytics/dashboard')).status).toBe(401);
    });
  });
  describe('time zones (tz, default Asia/Almaty)', () => {
    const days = (series: { period_start: string; revenue: number }[]) =>
      Object.fromEntries(series.filter((p) => p.revenue).map((p) => [p.period_start, p.revenue]));

    it('by default days start at midnight in Almaty (UTC+5): an order moves to its local day', async () => {
      const res = await get(`sales?${MARCH}&tz=Asia/Almaty`);
      const plain = await t.http.get(`/api/v1/analytics/sales?${MARCH}`).set(admin.auth);
      expect(plain.body).toEqual(res.body); // Almaty is the default
      // O8 (28 Feb 23:59 UTC) is 1 March in Almaty; O2 (2 Mar 23:59 UTC) is 3 March
      expect(days(res.body.series)).toEqual({
        '2026-03-01': 2500.5,
        '2026-03-02': 3501,
        '2026-03-03': 5350.74,
        '2026-03-09': 4000.5,
        '2026-04-01': 2499.9,
      });
      expect(res.body.total_revenue).toBe(17852.64);
      expect(res.body.series[0].period_start).toBe('2026-03-01');
    });

    it('a zone behind UTC, across its daylight saving change, moves orders the other way', async () => {
      // New York: UTC-5, UTC-4 from 8 March 2026
      const res = await get('sales?from=2026-03-01&to=2026-03-10&tz=America/New_York');
      expect(days(res.body.series)).toEqual({ '2026-03-02': 8851.74, '2026-03-09': 4000.5 });
      expect(res.body.series).toHaveLength(10);
      // O9 (1 Jan 2026 00:30 UTC) was still 31 December in New York
      const months = await get(
        'sales?from=2025-12-01&to=2026-01-31&period=month&tz=America/New_York',
      );
      expect(months.body.series).toEqual([
        { period_start: '2025-12-01', revenue: 1750.25, orders: 1 },
        { period_start: '2026-01-01', revenue: 0, orders: 0 },
      ]);
      const weeks = await get(`sales?${MARCH}&period=week&tz=Asia/Almaty`);
      expect(weeks.body.series[0].period_start).toBe('2026-02-23');
      expect(days(weeks.body.series)).toEqual({
        '2026-02-23': 2500.5,
        '2026-03-02': 8851.74,
        '2026-03-09': 4000.5,
        '2026-03-30': 2499.9,
      });
    });

    it('registrations and a seller’s own figures follow the zone too', async () => {
      const users = await get('users?from=2026-03-01&to=2026-03-31&period=month&tz=Asia/Almaty');
      // c3 registered on 31 March 23:30 UTC: 1 April in Almaty
      expect(users.body.new_users).toEqual([{ period_start: '2026-03-01', count: 2 }]);
      const inUtc = await get('users?from=2026-03-01&to=2026-03-31&period=month');
      expect(inUtc.body.new_users).toEqual([{ period_start: '2026-03-01', count: 3 }]);

      const almaty = await sellerGet('from=2026-03-02&to=2026-03-02', s1);
      expect(almaty.body).toMatchObject({ total_revenue: 2001, orders_count: 1 });
      const ny = await sellerGet('from=2026-03-02&to=2026-03-02&tz=America/New_York', s1);
      expect(ny.body).toMatchObject({ total_revenue: 2751.75, orders_count: 2, units_sold: 5 });
    });

    it('an unknown zone is a 400 naming tz, on every report', async () => {
      for (const res of [
        await get('sales?tz=Mars/Olympus'),
        await get('users?tz=Not%20a%20zone'),
        await get('dashboard?tz=Asia/Almaty%27%3B'),
        await sellerGet('tz=Europe/Nowhere', s1),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('INVALID_TIME_ZONE');
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'tz' })]);
      }
    });
  });

  // last: it adds a user and an order to the data set
  describe('with orders placed through the API', () => {
    it("counts a single-seller order's total_amount once it is confirmed, not while pending", async () => {
      const extra = await makeUser(t.http, 'customer');
      const order = await checkout(t.http, extra, [{ product: p2, quantity: 2 }], {
        delivery_method: 'express',
      });
      expect(order.total_amount).toBe(3500.5); // 2 × 250.25 + 3000
      const today = new Date().toISOString().slice(0, 10);
      const before = await get(`sales?from=${today}&to=${today}`);
      expect(before.body).toMatchObject({ total_revenue: 0, orders_count: 0 });
      const moved = await t.http
        .put(`/api/v1/orders/${order.id}/status`)
        .set(s1.auth)
        .send({ status: 'confirmed' });
      expect(moved.status).toBe(200);
      const after = await get(`sales?from=${today}&to=${today}`);
      expect(after.body).toEqual({
        total_revenue: 3500.5,
        orders_count: 1,
        average_order_value: 3500.5,
        series: [{ period_start: today, revenue: 3500.5, orders: 1 }],
      });
      const seller = await sellerGet(`from=${today}&to=${today}&tz=UTC`, s1);
      expect(seller.body).toMatchObject({ total_revenue: 500.5, orders_count: 1, units_sold: 2 });
      expect((await get(`sales?${MARCH}`)).body.total_revenue).toBe(15352.14); // untouched
    });
  });
});
