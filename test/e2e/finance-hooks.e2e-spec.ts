import { UnitOfWork } from '../../src/database/unit-of-work';
import { MoneyHooks } from '../../src/modules/finance/money-hooks.service';
import { createTestApp, TestApp } from '../create-test-app';
import { ledgerVsSummary } from '../factories/finance';
import { checkout } from '../factories/orders';
import { pay, postWebhook } from '../factories/payments';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

const API = '/api/v1';
const RULES = `${API}/admin/commission-rules`;
const DAY = 86_400_000;

interface Entry {
  type: string;
  amount: number;
  fulfillment_id: string | null;
  return_id: string | null;
  available_at: Date;
  created_at: Date;
}

describe('finance: commission frozen at checkout, the ledger hooked into orders and payments (e2e)', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  const p = (i: number) => (t.db === 'postgres' ? `$${i}` : '?');
  const time = (v: unknown) =>
    v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T').replace(/Z?$/, 'Z')}`);
  const entriesOf = async (sellerId: string): Promise<Entry[]> =>
    (
      await t.ds.query(
        `SELECT type, amount, fulfillment_id, return_id, available_at, created_at
           FROM seller_ledger_entries WHERE seller_id = ${p(1)} ORDER BY created_at, type`,
        [sellerId],
      )
    ).map((r: Record<string, unknown>) => ({
      ...r,
      amount: Number(r.amount),
      available_at: time(r.available_at),
      created_at: time(r.created_at),
    }));
  const byType = (es: Entry[]) =>
    es.reduce<Record<string, number>>(
      (m, e) => ({ ...m, [e.type]: (m[e.type] ?? 0) + e.amount }),
      {},
    );
  const move = (who: Actor, orderId: string, status: string) =>
    t.http.put(`${API}/orders/${orderId}/status`).set(who.auth).send({ status });
  async function walk(who: Actor, orderId: string, statuses: string[]) {
    for (const s of statuses) {
      const res = await move(who, orderId, s);
      expect([s, res.status, res.body.message]).toEqual([s, 200, undefined]);
    }
  }
  const toDelivered = ['processing', 'shipped', 'delivered'];

  /** A seller with one product; a buyer's order of `quantity` units at `price` KZT. */
  async function sellerAndOrder(o: { price?: number; quantity?: number; category?: string } = {}) {
    const seller = await makeUser(t.http, 'seller');
    const buyer = await makeUser(t.http, 'customer');
    const product = await insertProduct(t.ds, seller.id, {
      price: o.price ?? 1000,
      quantity: 100,
      category: (o.category ?? 'other') as 'other',
    });
    const order = await checkout(t.http, buyer, [{ product, quantity: o.quantity ?? 2 }]);
    return { seller, buyer, product, order };
  }

  describe('commission frozen at checkout', () => {
    it('each line freezes the most specific rule; the admin and the seller see it, the buyer never', async () => {
      const seller = await makeUser(t.http, 'seller');
      const other = await makeUser(t.http, 'seller');
      const buyer = await makeUser(t.http, 'customer');
      const own = await t.http
        .post(RULES)
        .set(admin.auth)
        .send({ scope: 'seller', seller_id: seller.id, rate_percent: 7.25, min_fee: 10 });
      expect(own.status).toBe(201);
      const books = await t.http
        .post(RULES)
        .set(admin.auth)
        .send({ scope: 'category', category: 'books', rate_percent: 3.33, max_fee: 50 });
      expect(books.status).toBe(201);
      const a = await insertProduct(t.ds, seller.id, { price: 999.99, quantity: 10 });
      const b = await insertProduct(t.ds, other.id, { price: 1234.56, category: 'books' });
      const c = await insertProduct(t.ds, other.id, { price: 50, category: 'toys' });
      const d = await insertProduct(t.ds, seller.id, { price: 10, category: 'books' });
      const order = await checkout(t.http, buyer, [
        { product: a, quantity: 3 },
        { product: b, quantity: 2 },
        { product: c, quantity: 1 },
        { product: d, quantity: 1 },
      ]);
      // the buyer's answers show no commission
      for (const body of [
        order,
        (await t.http.get(`${API}/orders/${order.id}`).set(buyer.auth)).body,
        (await t.http.get(`${API}/orders`).set(buyer.auth)).body.items[0],
      ]) {
        for (const item of body.items) {
          expect(item).not.toHaveProperty('commission');
          expect(item).not.toHaveProperty('commission_rate');
        }
      }
      const line = (body: { items: Record<string, unknown>[] }, productId: string) =>
        body.items.find((i) => i.product_id === productId);
      const asAdmin = (await t.http.get(`${API}/orders/${order.id}`).set(admin.auth)).body;
      // 2999.97 × 7.25 % = 217.497825 → 217.50; 2469.12 × 3.33 % = 82.22 → capped at 50;
      // 50 × 10 % = 5; 10 × 7.25 % = 0.725 → raised to the seller's min_fee 10
      expect(line(asAdmin, a.id)).toMatchObject({ commission_rate: 7.25, commission: 217.5 });
      expect(line(asAdmin, b.id)).toMatchObject({ commission_rate: 3.33, commission: 50 });
      expect(line(asAdmin, c.id)).toMatchObject({ commission_rate: 10, commission: 5 });
      expect(line(asAdmin, d.id)).toMatchObject({ commission_rate: 7.25, commission: 10 });
      const listed = (await t.http.get(`${API}/orders`).set(admin.auth)).body.items.find(
        (o: { id: string }) => o.id === order.id,
      );
      expect(line(listed, a.id)).toMatchObject({ commission: 217.5 });
      // the seller sees their own lines with commission (and only those)
      const asSeller = (await t.http.get(`${API}/orders/${order.id}`).set(seller.auth)).body;
      expect(asSeller.items.map((i: { product_id: string }) => i.product_id).sort()).toEqual(
        [a.id, d.id].sort(),
      );
      expect(line(asSeller, a.id)).toMatchObject({ commission_rate: 7.25, commission: 217.5 });
      const sellerList = (await t.http.get(`${API}/seller/orders`).set(other.auth)).body;
      expect(line(sellerList.items[0], b.id)).toMatchObject({ commission: 50 });

      // a rule changed or deleted later never touches a sold line
      expect(
        (await t.http.put(`${RULES}/${own.body.id}`).set(admin.auth).send({ rate_percent: 50 }))
          .status,
      ).toBe(200);
      expect((await t.http.delete(`${RULES}/${books.body.id}`).set(admin.auth)).status).toBe(204);
      const after = (await t.http.get(`${API}/orders/${order.id}`).set(admin.auth)).body;
      expect(after.items).toEqual(asAdmin.items);
      // … while the next checkout takes the new rate
      const next = await checkout(t.http, buyer, [{ product: a, quantity: 1 }]);
      const fresh = (await t.http.get(`${API}/orders/${next.id}`).set(admin.auth)).body;
      expect(fresh.items[0]).toMatchObject({ commission_rate: 50, commission: 500 });
    });
  });

  describe('sale and commission: once delivered and paid, whichever comes second', () => {
    it('paid first (card), then delivered: sale + commission at delivery, on hold for PAYOUT_HOLD', async () => {
      const { seller, buyer, order } = await sellerAndOrder({ price: 1000, quantity: 2 });
      expect((await pay(t.http, buyer, order.id, 'card')).body.status).toBe('completed');
      await walk(seller, order.id, ['processing', 'shipped']);
      expect(await entriesOf(seller.id)).toEqual([]);
      const before = Date.now();
      await walk(seller, order.id, ['delivered']);
      const es = await entriesOf(seller.id);
      expect(byType(es)).toEqual({ sale: 3500_00, commission: -200_00 });
      for (const e of es) {
        expect(e.fulfillment_id).toEqual(expect.any(String));
        const hold = e.available_at.getTime() - 14 * DAY;
        expect(hold).toBeGreaterThanOrEqual(before - 1000);
        expect(hold).toBeLessThanOrEqual(Date.now() + 1000);
      }
      const balance = (await t.http.get(`${API}/seller/balance`).set(seller.auth)).body;
      expect(balance).toEqual({
        pending: 3300,
        available: 0,
        paid_out: 0,
        lifetime_sales: 3500,
        lifetime_commission: 200,
      });
    });

    it('delivered first, paid later (kaspi callback): sale at the payment, held from the delivery', async () => {
      const { seller, buyer, order } = await sellerAndOrder({ price: 500, quantity: 1 });
      const payment = await pay(t.http, buyer, order.id, 'kaspi');
      expect(payment.body.status).toBe('pending');
      await walk(seller, order.id, ['confirmed', ...toDelivered]);
      expect(await entriesOf(seller.id)).toEqual([]);
      const delivered = Date.now();
      await new Promise((r) => setTimeout(r, 50));
      const cb = { transaction_id: payment.body.transaction_id, status: 'completed' };
      expect((await postWebhook(t.http, 'kaspi', cb)).status).toBe(200);
      expect((await postWebhook(t.http, 'kaspi', cb)).status).toBe(200); // replayed
      const es = await entriesOf(seller.id);
      expect(byType(es)).toEqual({ sale: 2000_00, commission: -50_00 });
      expect(es[0].available_at.getTime() - 14 * DAY).toBeLessThanOrEqual(delivered + 20);
    });

    it('cash on delivery completes at delivery, and the sale is booked then', async () => {
      const { seller, buyer, order } = await sellerAndOrder({ price: 100, quantity: 3 });
      expect((await pay(t.http, buyer, order.id, 'cash_on_delivery')).body.status).toBe('pending');
      await walk(seller, order.id, ['confirmed', ...toDelivered]);
      const payments = await t.http.get(`${API}/payments/order/${order.id}`).set(buyer.auth);
      expect(payments.body[0].status).toBe('completed');
      expect(byType(await entriesOf(seller.id))).toEqual({ sale: 1800_00, commission: -30_00 });
    });

    it('nothing is booked for a delivered parcel that was never paid, nor for a cancelled one', async () => {
      const { seller, order } = await sellerAndOrder();
      await walk(seller, order.id, ['confirmed', ...toDelivered]);
      const x = await sellerAndOrder();
      expect((await pay(t.http, x.buyer, x.order.id, 'card')).status).toBe(201);
      await walk(x.seller, x.order.id, ['cancelled']);
      expect(await entriesOf(seller.id)).toEqual([]);
      expect(await entriesOf(x.seller.id)).toEqual([]);
    });

    it('a multi-seller order books each seller’s own parcel as it is delivered', async () => {
      const s1 = await makeUser(t.http, 'seller');
      const s2 = await makeUser(t.http, 'seller');
      const buyer = await makeUser(t.http, 'customer');
      const a = await insertProduct(t.ds, s1.id, { price: 100 });
      const b = await insertProduct(t.ds, s2.id, { price: 300 });
      const order = await checkout(t.http, buyer, [{ product: a }, { product: b, quantity: 2 }]);
      expect((await pay(t.http, buyer, order.id, 'card')).status).toBe(201);
      await walk(s1, order.id, toDelivered);
      expect(byType(await entriesOf(s1.id))).toEqual({ sale: 1600_00, commission: -10_00 });
      expect(await entriesOf(s2.id)).toEqual([]);
      await walk(s2, order.id, toDelivered);
      expect(byType(await entriesOf(s2.id))).toEqual({ sale: 2100_00, commission: -60_00 });
    });

    it('a delivery racing its payment’s completion books exactly one sale', async () => {
      const runs = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const { seller, buyer, order } = await sellerAndOrder({ price: 200, quantity: 1 });
          const payment = await pay(t.http, buyer, order.id, 'kaspi');
          await walk(seller, order.id, ['confirmed', 'processing', 'shipped']);
          const cb = { transaction_id: payment.body.transaction_id, status: 'completed' };
          const [moved, paid, again] = await Promise.all([
            move(seller, order.id, 'delivered'),
            postWebhook(t.http, 'kaspi', cb),
            postWebhook(t.http, 'kaspi', cb),
          ]);
          expect([moved.status, paid.status, again.status]).toEqual([200, 200, 200]);
          return seller;
        }),
      );
      for (const seller of runs) {
        const es = await entriesOf(seller.id);
        expect(es.map((e) => e.type).sort()).toEqual(['commission', 'sale']);
        expect(byType(es)).toEqual({ sale: 1700_00, commission: -20_00 });
        const sums = await ledgerVsSummary(t, seller.id);
        expect(sums).toMatchObject({ entries: 1680_00, summary: 1680_00, summaryCount: 2 });
      }
    });
  });

  describe('refunds', () => {
    it('a delivered parcel moved to refunded takes back its sale and reverses its commission', async () => {
      const { seller, buyer, order } = await sellerAndOrder({ price: 1000, quantity: 1 });
      await pay(t.http, buyer, order.id, 'card');
      await walk(seller, order.id, toDelivered);
      await walk(seller, order.id, ['refunded']);
      const es = await entriesOf(seller.id);
      expect(byType(es)).toEqual({
        sale: 2500_00,
        commission: -100_00,
        refund: -2500_00,
        commission_reversal: 100_00,
      });
      const refund = es.find((e) => e.type === 'refund')!;
      expect(refund.available_at.getTime()).toBe(refund.created_at.getTime());
      const b = (await t.http.get(`${API}/seller/balance`).set(seller.auth)).body;
      expect(b.pending + b.available).toBe(0);
      expect(b).toMatchObject({ lifetime_sales: 2500, lifetime_commission: 0 });
      // the buyer got the payment back
      const payments = await t.http.get(`${API}/payments/order/${order.id}`).set(buyer.auth);
      expect(payments.body[0].status).toBe('refunded');
    });

    it('a refunded return books refund + pro rata commission reversal once; the parcel refund takes the rest', async () => {
      const { seller, buyer, order } = await sellerAndOrder({ price: 100, quantity: 3 });
      const rule = await t.http
        .post(RULES)
        .set(admin.auth)
        .send({ scope: 'seller', seller_id: seller.id, rate_percent: 3.33 });
      expect(rule.status).toBe(201);
      // this order was placed before the rule: its line froze 10 % (30.00 of 300.00)
      await pay(t.http, buyer, order.id, 'card');
      await walk(seller, order.id, toDelivered);
      const [line] = (await t.http.get(`${API}/orders/${order.id}`).set(admin.auth)).body.items;
      expect(line.commission).toBe(30);
      const [f] = await t.ds.query(`SELECT id FROM fulfillments WHERE order_id = ${p(1)}`, [
        order.id,
      ]);
      const hooks = t.app.get(MoneyHooks);
      const uow = t.app.get(UnitOfWork);
      const returnId = '00000000-0000-4000-8000-000000000001';
      const refund = (returnedBefore: number, quantity: number, id = returnId) =>
        uow.run((tx) =>
          hooks.recordReturnRefund(tx, {
            sellerId: seller.id,
            orderId: order.id,
            fulfillmentId: f.id,
            returnId: id,
            amount: quantity * 100_00,
            delivery: 0,
            lines: [{ orderItemId: line.id, quantity, returnedBefore }],
          }),
        );
      // 1 of 3 units: 10.00 of commission back; twice at once → once
      const [first, second] = await Promise.all([refund(0, 1), refund(0, 1)]);
      expect([first.length, second.length].sort()).toEqual([0, 2]);
      expect(byType(await entriesOf(seller.id))).toMatchObject({
        refund: -100_00,
        commission_reversal: 10_00,
      });
      const es = await entriesOf(seller.id);
      expect(es.filter((e) => e.return_id === returnId)).toHaveLength(2);
      // the rest of the parcel refunded: what the sale and commission still hold
      await walk(seller, order.id, ['refunded']);
      expect(byType(await entriesOf(seller.id))).toEqual({
        sale: 1800_00,
        commission: -30_00,
        refund: -1800_00,
        commission_reversal: 30_00,
      });
      expect(await ledgerVsSummary(t, seller.id)).toMatchObject({ entries: 0, summary: 0 });
    });
  });

  describe('GET /admin/finance', () => {
    it('adds up GMV, commission, refunds, payouts and what is owed; admins only', async () => {
      const before = (await t.http.get(`${API}/admin/finance`).set(admin.auth)).body;
      expect(Object.keys(before).sort()).toEqual(
        [
          'commission_earned',
          'commission_vat',
          'gmv',
          'owed_to_sellers',
          'payouts_paid',
          'payouts_pending',
          'refunds',
        ].sort(),
      );
      const { seller, buyer, order } = await sellerAndOrder({ price: 1160, quantity: 1 });
      await pay(t.http, buyer, order.id, 'card');
      await walk(seller, order.id, toDelivered);
      const after = (await t.http.get(`${API}/admin/finance`).set(admin.auth)).body;
      const delta = (k: string) => Math.round((after[k] - before[k]) * 100) / 100;
      expect(delta('gmv')).toBe(2660);
      expect(delta('commission_earned')).toBe(116);
      // VAT-inclusive at 16 %: commission × 16 / 116, rounded half up to the tiyn
      const tiyn = Math.round(after.commission_earned * 100);
      expect(Math.round(after.commission_vat * 100)).toBe(Math.floor((tiyn * 16 + 58) / 116));
      expect(delta('owed_to_sellers')).toBe(2544);
      expect(delta('refunds')).toBe(0);
      const today = new Date().toISOString().slice(0, 10);
      const window = (
        await t.http.get(`${API}/admin/finance?from=${today}&to=${today}`).set(admin.auth)
      ).body;
      expect(window.commission_earned).toBe(after.commission_earned);
      const past = (
        await t.http.get(`${API}/admin/finance?from=2020-01-01&to=2020-01-31`).set(admin.auth)
      ).body;
      expect(past).toMatchObject({ gmv: 0, commission_earned: 0, refunds: 0, payouts_paid: 0 });
      expect(past.owed_to_sellers).toBe(after.owed_to_sellers);
      expect(
        (await t.http.get(`${API}/admin/finance?from=2026-02-01&to=2026-01-01`).set(admin.auth))
          .status,
      ).toBe(400);
      expect((await t.http.get(`${API}/admin/finance?from=soon`).set(admin.auth)).status).toBe(400);
      expect((await t.http.get(`${API}/admin/finance`).set(seller.auth)).status).toBe(403);
    });
  });
});
