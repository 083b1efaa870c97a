import { createTestApp, TestApp } from '../create-test-app';
import { ledgerVsSummary, shopFor } from '../factories/finance';
import { checkout } from '../factories/orders';
import { pay } from '../factories/payments';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

const API = '/api/v1';
const tiyn = (kzt: number) => Math.round(kzt * 100);

/**
 * The money invariant under concurrency: many buyers checking out and paying at once, sellers
 * delivering, some parcels refunded, a payout batch raced by a second one, adjustments. Then
 * every seller's ledger adds up to their summary row and balance, and every tiyn the buyers paid
 * (and kept paid) is accounted for: the platform's commission, what sellers are owed, what was
 * paid out or is being paid, and the paid parcels not delivered yet — less the adjustments.
 * PAYOUT_HOLD=0 so that delivered sales are available to the payout batches at once.
 */
describe('finance: the money invariant under concurrency (e2e)', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp({ PAYOUT_HOLD: '0' });
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  const move = (who: Actor, orderId: string, status: string) =>
    t.http.put(`${API}/orders/${orderId}/status`).set(who.auth).send({ status });
  async function walk(who: Actor, orderId: string, statuses: string[]) {
    for (const s of statuses) {
      const res = await move(who, orderId, s);
      expect([orderId, s, res.status, res.body.message]).toEqual([orderId, s, 200, undefined]);
    }
  }
  const one = async (sql: string) => Number((await t.ds.query(sql))[0].s);

  it('Σ ledger = summary = balance per seller; captured − refunded = commission + owed + payouts + undelivered − adjustments', async () => {
    const sellers = await Promise.all([0, 1, 2, 3].map(() => makeUser(t.http, 'seller')));
    for (const s of sellers) await shopFor(t, s);
    const products = await Promise.all(
      sellers.map((s, i) => insertProduct(t.ds, s.id, { price: 1000 + i * 333.33, quantity: 500 })),
    );
    // a seller-specific rule so that rates differ across sellers
    const rule = await t.http
      .post(`${API}/admin/commission-rules`)
      .set(admin.auth)
      .send({ scope: 'seller', seller_id: sellers[1].id, rate_percent: 7.77 });
    expect(rule.status).toBe(201);

    // 16 buyers check out and pay at once; every third order has two sellers; every fifth pays cash
    const N = 16;
    const runs = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const buyer = await makeUser(t.http, 'customer');
        const own = [i % 4, ...(i % 3 === 0 ? [(i + 1) % 4] : [])];
        const order = await checkout(
          t.http,
          buyer,
          own.map((k) => ({ product: products[k], quantity: 1 + (i % 3) })),
        );
        const method = i % 5 === 4 ? 'cash_on_delivery' : 'card';
        const paid = await pay(t.http, buyer, order.id, method);
        expect(paid.status).toBe(201);
        return { i, buyer, order, own, method };
      }),
    );

    // sellers deliver at once (every fourth order is left on the way); some delivered
    // single-seller parcels are then refunded
    await Promise.all(
      runs.flatMap((r) =>
        r.own.map(async (k) => {
          const seller = sellers[k];
          const prefix = r.method === 'cash_on_delivery' ? ['confirmed'] : [];
          if (r.i % 4 === 3) return walk(seller, r.order.id, [...prefix, 'processing']);
          await walk(seller, r.order.id, [...prefix, 'processing', 'shipped', 'delivered']);
          if (r.own.length === 1 && r.i % 6 === 1) await walk(seller, r.order.id, ['refunded']);
        }),
      ),
    );

    // adjustments, and a payout batch raced by a second one
    const ids = sellers.map((s) => s.id);
    const [adjA, adjB, b1, b2] = await Promise.all([
      t.http
        .post(`${API}/admin/sellers/${ids[0]}/adjustments`)
        .set(admin.auth)
        .send({ amount: -12.34, note: 'damaged box' }),
      t.http
        .post(`${API}/admin/sellers/${ids[2]}/adjustments`)
        .set(admin.auth)
        .send({ amount: 50, note: 'goodwill' }),
      t.http.post(`${API}/admin/payouts`).set(admin.auth).send({ seller_ids: ids }),
      t.http.post(`${API}/admin/payouts`).set(admin.auth).send({ seller_ids: ids }),
    ]);
    expect([adjA.status, adjB.status, b1.status, b2.status]).toEqual([201, 201, 201, 201]);
    const payouts = [...b1.body.payouts, ...b2.body.payouts];
    expect(payouts.length).toBeGreaterThan(0);
    // each seller paid by one batch at most
    expect(new Set(payouts.map((p: { seller_id: string }) => p.seller_id)).size).toBe(
      payouts.length,
    );
    // one payout marked paid, the others stay pending
    const paidOne = await t.http
      .put(`${API}/admin/payouts/${payouts[0].id}/paid`)
      .set(admin.auth)
      .send({ bank_reference: 'PP-1' });
    expect(paidOne.status).toBe(200);

    // per seller: Σ entries = the summary row = pending + available
    for (const s of sellers) {
      const c = await ledgerVsSummary(t, s.id);
      expect(c.entries).toBe(c.summary);
      expect(c.count).toBe(c.summaryCount);
      const b = (await t.http.get(`${API}/seller/balance`).set(s.auth)).body;
      expect(tiyn(b.pending) + tiyn(b.available)).toBe(c.entries);
    }

    // the platform: every tiyn the buyers paid is accounted for
    const captured = await one(
      `SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE status IN ('completed', 'refunded')`,
    );
    const refunded = await one(
      `SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE status = 'refunded'`,
    );
    const undelivered = await one(
      `SELECT COALESCE(SUM(f.items_total + f.delivery_cost), 0) AS s
         FROM fulfillments f JOIN orders o ON o.id = f.order_id
        WHERE o.payment_status = 'completed'
          AND f.status NOT IN ('delivered', 'refunded', 'cancelled')`,
    );
    const adjustments = await one(
      `SELECT COALESCE(SUM(amount), 0) AS s FROM seller_ledger_entries WHERE type = 'adjustment'`,
    );
    expect(adjustments).toBe(-12_34 + 50_00);
    const f = (await t.http.get(`${API}/admin/finance`).set(admin.auth)).body;
    expect(refunded).toBeGreaterThan(0);
    expect(undelivered).toBeGreaterThan(0);
    expect(tiyn(f.payouts_paid)).toBeGreaterThan(0);
    expect(captured - refunded).toBe(
      tiyn(f.commission_earned) +
        tiyn(f.owed_to_sellers) +
        tiyn(f.payouts_paid) +
        tiyn(f.payouts_pending) +
        undelivered -
        adjustments,
    );
    // what is owed is Σ the sellers' summary rows; commission earned is Σ the frozen commission
    // of the delivered, paid lines that stayed sold
    expect(tiyn(f.owed_to_sellers)).toBe(
      await one(`SELECT COALESCE(SUM(total), 0) AS s FROM seller_balances`),
    );
    expect(tiyn(f.commission_earned)).toBe(
      await one(
        `SELECT COALESCE(SUM(i.commission), 0) AS s FROM order_items i
           JOIN fulfillments f ON f.order_id = i.order_id AND f.seller_id = i.seller_id
           JOIN orders o ON o.id = i.order_id
          WHERE f.status = 'delivered' AND o.payment_status = 'completed'`,
      ),
    );
    expect(tiyn(f.refunds)).toBe(refunded);
  });
});
