import { createTestApp, TestApp } from '../create-test-app';
import { ledgerVsSummary, shopFor } from '../factories/finance';
import { checkout } from '../factories/orders';
import { pay } from '../factories/payments';
import { insertProduct } from '../factories/products';
import { act, createReturn, rowsOf } from '../factories/returns';
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

  /**
   * The invariants of CONTRACT Part 2 (Seller money) as they stand now: per seller Σ entries =
   * the summary row = pending + available; and Σ captured − Σ refunded to buyers = commission
   * earned + owed to sellers + payouts paid + payouts pending + paid parcels not delivered yet −
   * Σ adjustments. Refunded to buyers: a payment refunded whole gave all of it back (its parcel
   * refunds, returns and the rest); of one still captured, its completed and paid refunds.
   */
  async function checkMoney(sellers: Actor[]) {
    for (const s of sellers) {
      const c = await ledgerVsSummary(t, s.id);
      expect(c.entries).toBe(c.summary);
      expect(c.count).toBe(c.summaryCount);
      const b = (await t.http.get(`${API}/seller/balance`).set(s.auth)).body;
      expect(tiyn(b.pending) + tiyn(b.available)).toBe(c.entries);
    }
    // nothing is on its way: every refund asked was answered
    expect(
      await one(`SELECT COUNT(*) AS s FROM refunds WHERE status IN ('pending', 'failed')`),
    ).toBe(0);
    const captured = await one(
      `SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE status IN ('completed', 'refunded')`,
    );
    const refunded =
      (await one(`SELECT COALESCE(SUM(amount), 0) AS s FROM payments WHERE status = 'refunded'`)) +
      (await one(
        `SELECT COALESCE(SUM(r.amount), 0) AS s FROM refunds r JOIN payments p ON p.id = r.payment_id
          WHERE p.status = 'completed' AND r.status IN ('completed', 'paid')`,
      ));
    const undelivered = await one(
      `SELECT COALESCE(SUM(f.items_total + f.delivery_cost), 0) AS s
         FROM fulfillments f JOIN orders o ON o.id = f.order_id
        WHERE o.payment_status IN ('completed', 'partially_refunded')
          AND f.status NOT IN ('delivered', 'refunded', 'cancelled')`,
    );
    const adjustments = await one(
      `SELECT COALESCE(SUM(amount), 0) AS s FROM seller_ledger_entries WHERE type = 'adjustment'`,
    );
    const f = (await t.http.get(`${API}/admin/finance`).set(admin.auth)).body;
    expect(captured - refunded).toBe(
      tiyn(f.commission_earned) +
        tiyn(f.owed_to_sellers) +
        tiyn(f.payouts_paid) +
        tiyn(f.payouts_pending) +
        undelivered -
        adjustments,
    );
    expect(tiyn(f.owed_to_sellers)).toBe(
      await one(`SELECT COALESCE(SUM(total), 0) AS s FROM seller_balances`),
    );
    return { f, captured, refunded, undelivered, adjustments };
  }

  /**
   * Per order (for a failure's message): captured − refunded to the buyer should equal the gross
   * of its ledger (sale + refund entries; commission only splits that between platform and
   * seller) plus its paid parcels not delivered yet.
   */
  async function unbalancedOrders() {
    const rows: Record<string, unknown>[] = await t.ds.query(
      `SELECT o.id, o.status, o.payment_status,
              (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
                WHERE p.order_id = o.id AND p.status IN ('completed', 'refunded')) AS captured,
              (SELECT COALESCE(SUM(p.amount), 0) FROM payments p
                WHERE p.order_id = o.id AND p.status = 'refunded') AS whole,
              (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r JOIN payments p ON p.id = r.payment_id
                WHERE r.order_id = o.id AND p.status = 'completed' AND r.status IN ('completed', 'paid')) AS partial,
              (SELECT COALESCE(SUM(e.amount), 0) FROM seller_ledger_entries e
                WHERE e.order_id = o.id AND e.type IN ('sale', 'refund')) AS gross,
              (SELECT COALESCE(SUM(f.items_total + f.delivery_cost), 0) FROM fulfillments f
                WHERE f.order_id = o.id AND o.payment_status IN ('completed', 'partially_refunded')
                  AND f.status NOT IN ('delivered', 'refunded', 'cancelled')) AS undelivered,
              (SELECT MIN(f.status) || '/' || MAX(f.status) FROM fulfillments f WHERE f.order_id = o.id) AS parcels
         FROM orders o`,
    );
    const wrong = rows.filter(
      (r) =>
        Number(r.captured) - Number(r.whole) - Number(r.partial) !==
        Number(r.gross) + Number(r.undelivered),
    );
    const p = t.db === 'postgres' ? '$1' : '?';
    for (const r of wrong.slice(0, 3)) {
      r.ledger = await t.ds.query(
        `SELECT type, amount, fulfillment_id, return_id, created_at FROM seller_ledger_entries WHERE order_id = ${p} ORDER BY created_at`,
        [r.id],
      );
      r.refunds = await t.ds.query(
        `SELECT kind, reference, amount, status, fulfillment_id FROM refunds WHERE order_id = ${p}`,
        [r.id],
      );
      r.returns = await t.ds.query(
        `SELECT id, fulfillment_id, status, refund_amount, refund_status FROM returns WHERE order_id = ${p}`,
        [r.id],
      );
      r.history = await t.ds.query(
        `SELECT status, seller_id, at FROM order_status_history WHERE order_id = ${p} ORDER BY at`,
        [r.id],
      );
    }
    return wrong;
  }

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

    const { f, refunded, undelivered, adjustments } = await checkMoney(sellers);
    expect(adjustments).toBe(-12_34 + 50_00);
    expect(refunded).toBeGreaterThan(0);
    expect(undelivered).toBeGreaterThan(0);
    expect(tiyn(f.payouts_paid)).toBeGreaterThan(0);
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

  /**
   * FINANCE_INVARIANT_OPS random operations (default 300; `npm run test:invariants` runs 3 000),
   * six at a time, from a seeded generator (FINANCE_INVARIANT_SEED; printed on failure):
   * checkouts paid by card or cash, parcels moved along, cancelled or refunded one by one in
   * multi-seller orders, partial returns (requested, approved, received; cash ones marked paid),
   * payout batches, payouts marked paid or failed, adjustments. A 409 is a lost race or a move
   * the state no longer allows; anything ≥ 500 fails. Then the invariants hold.
   */
  it('holds after a random mix of checkouts, payments, cancels, deliveries, returns, parcel refunds and payouts', async () => {
    const OPS = Number(process.env.FINANCE_INVARIANT_OPS ?? 300);
    const seed = Number(process.env.FINANCE_INVARIANT_SEED ?? Date.now() % 1_000_000);
    const rnd = mulberry32(seed);
    const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rnd() * xs.length)];
    const sellers = await Promise.all([0, 1, 2, 3, 4].map(() => makeUser(t.http, 'seller')));
    for (const s of sellers.slice(0, 4)) await shopFor(t, s); // the fifth cannot be paid out
    const buyers = await Promise.all(Array.from({ length: 8 }, () => makeUser(t.http, 'customer')));
    const products = await Promise.all(
      sellers.map((s, i) =>
        insertProduct(t.ds, s.id, { price: 500 + i * 211.11, quantity: 100_000 }),
      ),
    );
    const bySeller = new Map(sellers.map((s) => [s.id, s]));
    interface Parcel {
      orderId: string;
      id: string;
      seller: Actor;
      status: string;
      cash: boolean;
      multi: boolean;
      lines: { id: string; quantity: number }[];
      buyer: Actor;
    }
    const parcels: Parcel[] = [];
    const served: string[] = [];
    const next: Record<string, string> = {
      pending: 'confirmed',
      confirmed: 'processing',
      processing: 'shipped',
      shipped: 'delivered',
    };
    const note = (what: string, res: { status: number; body?: { code?: string } }) => {
      if (res.status >= 500) served.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.status < 300;
    };
    /** Marks a manual refund paid, sometimes by two admins at once (both must get 200). */
    const markPaid = async (refundId: string) => {
      const twice = rnd() < 0.3 ? 2 : 1;
      const all = await Promise.all(
        Array.from({ length: twice }, () =>
          t.http.post(`${API}/admin/refunds/${refundId}/mark-paid`).set(admin.auth).send(),
        ),
      );
      for (const res of all) {
        if (note('mark-paid', res) && res.body.status !== 'completed')
          served.push(`mark-paid ${refundId}: ${JSON.stringify(res.body)}`);
        if (res.status !== 200) served.push(`mark-paid ${refundId}: ${res.status}`);
      }
    };
    const ops: Record<string, (buyer: Actor) => Promise<void>> = {
      async checkout(buyer) {
        const cash = rnd() < 0.2;
        // cash orders have two sellers too: a parcel cancelled or refunded before the courier
        // collects is taken off the amount to collect
        const own = [...new Set([0, 1].map(() => Math.floor(rnd() * 5)))];
        const order = await checkout(
          t.http,
          buyer,
          own.map((k) => ({ product: products[k], quantity: 1 + Math.floor(rnd() * 3) })),
        );
        const paid = await pay(t.http, buyer, order.id, cash ? 'cash_on_delivery' : 'card');
        if (!note('pay', paid)) return;
        const fs: { id: string; seller_id: string; status: string }[] = await t.ds.query(
          `SELECT id, seller_id, status FROM fulfillments WHERE order_id = ${t.db === 'postgres' ? '$1' : '?'}`,
          [order.id],
        );
        for (const f of fs) {
          parcels.push({
            orderId: order.id,
            id: f.id,
            seller: bySeller.get(f.seller_id)!,
            status: f.status,
            cash,
            multi: fs.length > 1,
            buyer,
            lines: order.items
              .filter((i: { seller_id?: string; product_id: string }) =>
                products.some((p) => p.id === i.product_id && p.sellerId === f.seller_id),
              )
              .map((i: { id: string; quantity: number }) => ({ id: i.id, quantity: i.quantity })),
          });
        }
      },
      async advance() {
        const p = pick(parcels.filter((x) => next[x.status]));
        if (!p) return;
        const to = next[p.status];
        const res = await t.http
          .put(`${API}/orders/${p.orderId}/status`)
          .set(p.seller.auth)
          .send(
            to === 'shipped' ? { status: to, tracking_number: 'KZP000000001KZ' } : { status: to },
          );
        if (note('advance', res)) p.status = to;
      },
      async cancelParcel() {
        const p = pick(
          parcels.filter((x) => ['pending', 'confirmed', 'processing'].includes(x.status)),
        );
        if (!p) return;
        const res = await t.http
          .put(`${API}/orders/${p.orderId}/status`)
          .set(p.seller.auth)
          .send({ status: 'cancelled' });
        if (note('cancel', res)) p.status = 'cancelled';
      },
      async refundParcel() {
        const p = pick(parcels.filter((x) => x.status === 'delivered'));
        if (!p) return;
        const res = await t.http
          .put(`${API}/orders/${p.orderId}/status`)
          .set(p.seller.auth)
          .send({ status: 'refunded' });
        if (!note('refund', res)) return;
        p.status = 'refunded';
        // cash collected: the parcel's refund is owed by hand until an admin marks it paid
        const owed = (await rowsOf(t.ds, 'refunds', 'reference', p.id)).find(
          (r) => r.status === 'manual',
        );
        if (owed) await markPaid(owed.id as string);
      },
      async partialReturn() {
        const p = pick(
          parcels.filter((x) => x.status === 'delivered' && x.lines.some((l) => l.quantity > 0)),
        );
        if (!p) return;
        const line = pick(p.lines.filter((l) => l.quantity > 0))!;
        const created = await createReturn(t.http, p.buyer, p.orderId, [
          { order_item_id: line.id, quantity: 1 },
        ]);
        if (!note('return', created)) return;
        line.quantity -= 1;
        const id = created.body.id;
        if (rnd() < 0.15) {
          note('return cancel', await act(t.http, p.buyer, id, 'cancel'));
          line.quantity += 1;
          return;
        }
        if (!note('approve', await act(t.http, p.seller, id, 'approve'))) return;
        const got = await act(t.http, p.seller, id, 'receive');
        if (!note('receive', got)) return;
        if (got.body.refund_status !== 'manual') return;
        if (rnd() < 0.5) {
          note('refund-paid', await act(t.http, admin, id, 'refund-paid'));
          return;
        }
        // … or through the admins' queue of manual refunds, which takes any kind
        const [row] = await rowsOf(t.ds, 'refunds', 'reference', id);
        await markPaid(row.id as string);
      },
      async payouts() {
        const res = await t.http
          .post(`${API}/admin/payouts`)
          .set(admin.auth)
          .send({ min_amount: 1 });
        if (!note('payouts', res)) return;
        for (const po of res.body.payouts as { id: string }[]) {
          const r = rnd();
          if (r < 0.5) {
            note(
              'paid',
              await t.http
                .put(`${API}/admin/payouts/${po.id}/paid`)
                .set(admin.auth)
                .send({ bank_reference: `PP-${po.id.slice(0, 8)}` }),
            );
          } else if (r < 0.7) {
            note(
              'failed',
              await t.http
                .put(`${API}/admin/payouts/${po.id}/failed`)
                .set(admin.auth)
                .send({ reason: 'bank declined' }),
            );
          }
        }
      },
      async adjustment() {
        const s = pick(sellers)!;
        const amount = Math.round((rnd() - 0.5) * 20_000) / 100 || 1;
        note(
          'adjustment',
          await t.http
            .post(`${API}/admin/sellers/${s.id}/adjustments`)
            .set(admin.auth)
            .send({ amount, note: 'random correction' }),
        );
      },
    };
    // how often each operation is drawn
    const weights: [string, number][] = [
      ['checkout', 5],
      ['advance', 9],
      ['cancelParcel', 1],
      ['refundParcel', 1],
      ['partialReturn', 2],
      ['payouts', 0.5],
      ['adjustment', 0.5],
    ];
    const total = weights.reduce((a, [, w]) => a + w, 0);
    const draw = () => {
      let r = rnd() * total;
      for (const [name, w] of weights) if ((r -= w) < 0) return name;
      return 'advance';
    };
    const counts: Record<string, number> = {};
    try {
      for (let done = 0; done < OPS; done += 6) {
        const wave = Array.from({ length: Math.min(6, OPS - done) }, (_, k) => {
          const name = draw();
          counts[name] = (counts[name] ?? 0) + 1;
          return ops[name](buyers[k]);
        });
        await Promise.all(wave);
      }
      expect(served).toEqual([]);
      // the mix really had each kind of operation
      for (const [name] of weights) expect([name, counts[name] ?? 0]).not.toEqual([name, 0]);
      expect(parcels.filter((p) => p.status === 'refunded' && p.multi).length).toBeGreaterThan(0);
      expect(parcels.filter((p) => p.status === 'cancelled' && p.multi).length).toBeGreaterThan(0);
      // … and each kind took effect: returns refunded, parcels refunded alone, payouts paid
      for (const [what, sql] of [
        ['returns refunded', `SELECT COUNT(*) AS s FROM returns WHERE status = 'refunded'`],
        ['parcel refunds', `SELECT COUNT(*) AS s FROM refunds WHERE kind = 'parcel'`],
        ['payouts paid', `SELECT COUNT(*) AS s FROM payouts WHERE status = 'paid'`],
      ]) {
        expect([what, (await one(sql)) > 0]).toEqual([what, true]);
      }
      await checkMoney(sellers);
    } catch (e) {
      throw new Error(
        `seed ${seed} (FINANCE_INVARIANT_SEED), ${OPS} operations: ${(e as Error).message}\n` +
          `orders whose money does not add up: ${JSON.stringify(await unbalancedOrders())}`,
        { cause: e },
      );
    }
  }, 600_000);
});

/** A small seeded generator (mulberry32), so that a failing mix can be run again. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
