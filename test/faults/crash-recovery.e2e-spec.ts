import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hashSync } from 'bcrypt';

import { SERVER_JWT_SECRET, ServerProcess, sleep } from '../support/server-process';
import { SmtpSink } from '../support/smtp-sink';
import { FaultDb, insertCustomers, mintToken } from './support/db';
import { PgCluster } from './support/pg-cluster';

const CUSTOMERS = 100;
const PRODUCTS = 12;
const INITIAL = 25;
const DELIVERY = {
  delivery_method: 'standard',
  delivery_address: 'г. Астана, ул. Кенесары 40, кв. 12',
  phone: '+77017654321',
};

interface Customer {
  id: string;
  email: string;
  token: string;
  lines: { product_id: string; quantity: number }[];
  checkout?: number | string;
  /** the products a 409 OUT_OF_STOCK answer to the checkout named */
  shortages?: Shortage[];
  payment?: number | string;
  cancel?: number | string;
}

type Backend = 'sqlite' | 'postgres';

/** One product of a 409 OUT_OF_STOCK answer: what was asked and what the server said was left. */
interface Shortage {
  product_id: string;
  requested: number;
  available: number;
}

/** The shortages a checkout answer names (none unless it is a 409 OUT_OF_STOCK). */
const shortagesOf = (res: { status: number | string; body?: any }): Shortage[] | undefined =>
  res.status === 409 && res.body?.code === 'OUT_OF_STOCK' ? res.body.products : undefined;

/**
 * kill -9 of the server while ~100 checkouts, payments and cancellations run, then a restart on
 * the same database: every order is whole (lines, one fulfillment per seller, totals), stock and
 * its ledger agree with what was sold and returned, no payment lacks its order, no order is
 * charged twice, a cancelled order keeps no completed payment, every order has its confirmation
 * mail and the restarted server sends the mails still pending.
 */
describe.each<Backend>(['sqlite', 'postgres'])('faults: kill -9 under load (%s)', (backend) => {
  let pg: PgCluster | undefined;
  let dir: string | undefined;
  let env: Record<string, string>;
  let sink: SmtpSink;
  let server: ServerProcess;
  let db: FaultDb;
  let customers: Customer[] = [];
  const productIds: string[] = [];

  const api = (c: { token: string }, method: string, path: string, body?: unknown, key?: string) =>
    server.request(method, path, {
      token: c.token,
      body,
      headers: key ? { 'Idempotency-Key': key } : {},
      timeoutMs: 60_000,
    });

  // a client as the contract wants it: on 503 it waits Retry-After and sends the same request
  // again (same Idempotency-Key); a lost connection is the end of its story until the restart
  const call = async (c: Customer, method: string, path: string, body?: unknown, key?: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await api(c, method, path, body, key);
        if (res.status !== 503 || attempt === 10) return res;
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        await sleep(Number(res.headers.get('retry-after')) * 1000);
      } catch (e) {
        return { status: `error: ${(e as Error).message}`, body: undefined };
      }
    }
  };

  beforeAll(async () => {
    if (backend === 'postgres') {
      pg = await PgCluster.create();
      env = { DATABASE_URL: await pg.createDatabase('bibarys_faults_crash') };
    } else {
      dir = mkdtempSync(join(tmpdir(), 'bibarys-faults-crash-'));
      env = { DATABASE_PATH: join(dir, 'db.sqlite') };
    }
    sink = new SmtpSink();
    const smtpPort = await sink.start();
    server = await ServerProcess.start({
      ...env,
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      MAIL_POLL_MS: '100',
      // the demo provider answers at once: a payment `processing` for 2 s was cut by the crash
      PAYMENT_TIMEOUT_MS: '2000',
    });
    db = await FaultDb.open(env);

    // two sellers, each with products on sale (through the API: the ledger gets its 'initial')
    const hash = hashSync('password-123', 10);
    const sellers = await insertCustomers(db, 2, hash, `crash-seller-${backend}`);
    await db.query(`UPDATE users SET role = 'seller' WHERE email LIKE $1`, [
      `crash-seller-${backend}.%`,
    ]);
    for (let i = 0; i < PRODUCTS; i++) {
      const seller = {
        token: await mintToken(db, SERVER_JWT_SECRET, { ...sellers[i % 2], role: 'seller' }),
      };
      const res = await api(seller, 'POST', '/api/v1/products', {
        name: `Товар для сбоя ${i}`,
        description: 'Проверка восстановления после падения',
        price: 1000 + i * 250.5,
        quantity: INITIAL,
        category: 'other',
      });
      expect(res.status).toBe(201);
      productIds.push(res.body.id);
    }

    // 100 customers with a cart each (two lines of 1–3 units: more than the stock in all)
    const rows = await insertCustomers(db, CUSTOMERS, hash, `crash-${backend}`);
    const tokens: string[] = [];
    for (const u of rows)
      tokens.push(await mintToken(db, SERVER_JWT_SECRET, { id: u.id, role: 'customer' }));
    customers = rows.map((u, i) => ({
      ...u,
      token: tokens[i],
      lines: [
        { product_id: productIds[i % PRODUCTS], quantity: 1 + (i % 3) },
        { product_id: productIds[(i + 1 + (i % 4)) % PRODUCTS], quantity: 1 + ((i >> 1) % 3) },
      ].filter((l, k, all) => k === 0 || l.product_id !== all[0].product_id),
    }));
    for (let i = 0; i < customers.length; i += 10) {
      await Promise.all(
        customers.slice(i, i + 10).flatMap((c) =>
          c.lines.map(async (l) => {
            const res = await api(c, 'POST', '/api/v1/cart/items', l);
            expect(res.status).toBe(201);
          }),
        ),
      );
    }
  });

  afterAll(async () => {
    await server?.stop();
    await db?.close();
    await sink?.stop();
    pg?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is consistent after a kill -9 in the middle of checkouts, payments and cancellations', async () => {
    // --- the storm: each customer checks out, pays (card or kaspi), one in five cancels ------
    let answered = 0;
    const flows = customers.map(async (c, i) => {
      const res = await call(c, 'POST', '/api/v1/orders', DELIVERY, `order-${i}`);
      answered++;
      c.checkout = res.status;
      c.shortages = shortagesOf(res);
      if (res.status !== 201) return;
      const pay = await call(
        c,
        'POST',
        '/api/v1/payments',
        { order_id: res.body.id, payment_method: i % 4 === 3 ? 'kaspi' : 'card' },
        `pay-${i}`,
      );
      c.payment = pay.status;
      if (i % 5 !== 0 || pay.status !== 201) return;
      c.cancel = (await call(c, 'PUT', `/api/v1/orders/${res.body.id}/cancel`)).status;
    });
    while (answered < 20) await sleep(10);
    await server.kill9();
    await Promise.all(flows);

    // the storm really was cut in the middle: some checkouts done, some lost with the process
    expect(customers.filter((c) => c.checkout === 201).length).toBeGreaterThan(0);
    expect(customers.filter((c) => typeof c.checkout !== 'number').length).toBeGreaterThan(0);
    const served = customers.flatMap((c) => [c.checkout, c.payment, c.cancel]);
    expect(served.filter((s) => typeof s === 'number' && s >= 500)).toEqual([]);

    // --- restart on the same database; clients retry what they never heard back about -----
    await server.restart();
    const retries = await Promise.all(
      customers.map(async (c, i) => {
        if (typeof c.checkout === 'number') return undefined;
        const res = await call(c, 'POST', '/api/v1/orders', DELIVERY, `order-${i}`);
        c.shortages = shortagesOf(res);
        return res.status;
      }),
    );
    expect(retries.filter((s) => s !== undefined && (typeof s !== 'number' || s >= 500))).toEqual(
      [],
    );

    await checkOrders();
    await checkStock();
    await checkPayments();
    await checkCarts();
    await checkMails();
    await checkInterruptedPayments();
  }, 150_000);

  it('a payment a crash left `processing` does not block its order after the restart', async () => {
    // the state a kill -9 leaves between "payment inserted as processing" and "outcome settled"
    const [c] = await insertCustomers(db, 1, 'x'.repeat(60), `crash-late-${backend}`);
    const customer = {
      ...c,
      token: await mintToken(db, SERVER_JWT_SECRET, { id: c.id, role: 'customer' }),
    };
    const [product] = await db.query<{ id: string }>(
      `SELECT id FROM products WHERE quantity > 0 ORDER BY quantity DESC LIMIT 1`,
    );
    expect(
      (
        await call(customer as Customer, 'POST', '/api/v1/cart/items', {
          product_id: product.id,
          quantity: 1,
        })
      ).status,
    ).toBe(201);
    const order = await call(customer as Customer, 'POST', '/api/v1/orders', DELIVERY);
    expect(order.status).toBe(201);
    const past =
      backend === 'postgres'
        ? `now() - interval '10 minutes'`
        : `strftime('%Y-%m-%d %H:%M:%f', 'now', '-10 minutes')`;
    await db.query(
      `INSERT INTO payments (id, order_id, user_id, amount, payment_method, status, transaction_id, provider, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'card', 'processing', $5, 'demo', ${past}, ${past})`,
      [
        randomUUID(),
        order.body.id,
        c.id,
        Math.round(order.body.total_amount * 100),
        `ref_${randomUUID().replace(/-/g, '')}`,
      ],
    );
    await db.query(`UPDATE orders SET payment_status = 'processing' WHERE id = $1`, [
      order.body.id,
    ]);
    await server.kill9();
    await server.restart();

    const body = { order_id: order.body.id, payment_method: 'card' };
    let res = await call(customer as Customer, 'POST', '/api/v1/payments', body);
    for (let k = 0; k < 20 && res.status === 409; k++) {
      await sleep(500);
      res = await call(customer as Customer, 'POST', '/api/v1/payments', body);
    }
    expect([res.status, res.body?.status]).toEqual([201, 'completed']);
    const rows = await db.query<{ status: string }>(
      `SELECT status FROM payments WHERE order_id = $1 ORDER BY created_at`,
      [order.body.id],
    );
    expect(rows.map((r) => r.status)).toEqual(['failed', 'completed']);
  }, 60_000);

  /** Every order is whole: lines, one fulfillment per seller with its totals, history, sums. */
  async function checkOrders() {
    const orphans = await db.count(
      `SELECT (SELECT count(*) FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id))
            + (SELECT count(*) FROM fulfillments f WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = f.order_id))
            + (SELECT count(*) FROM order_status_history h WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = h.order_id)) AS n`,
    );
    expect(orphans).toBe(0);
    const orders = await db.query<{
      id: string;
      user_id: string;
      status: string;
      items_total: string | number;
      delivery_cost: string | number;
      total_amount: string | number;
    }>(`SELECT id, user_id, status, items_total, delivery_cost, total_amount FROM orders`);
    expect(orders.length).toBeGreaterThan(0);
    const items = await db.query<{
      order_id: string;
      seller_id: string;
      product_id: string;
      quantity: number;
      price: string | number;
      subtotal: string | number;
    }>(`SELECT order_id, seller_id, product_id, quantity, price, subtotal FROM order_items`);
    const fulfillments = await db.query<{
      order_id: string;
      seller_id: string;
      status: string;
      items_total: string | number;
      delivery_cost: string | number;
    }>(`SELECT order_id, seller_id, status, items_total, delivery_cost FROM fulfillments`);
    const history = await db.query<{ order_id: string }>(
      `SELECT order_id FROM order_status_history`,
    );
    const broken: string[] = [];
    for (const o of orders) {
      const its = items.filter((i) => i.order_id === o.id);
      const fs = fulfillments.filter((f) => f.order_id === o.id);
      const customer = customers.find((c) => c.id === o.user_id)!;
      const sellers = [...new Set(its.map((i) => i.seller_id))].sort();
      const sum = (xs: (string | number)[]) => xs.reduce<number>((a, x) => a + Number(x), 0);
      const problems = [
        its.length !== customer.lines.length && 'lines',
        its.some((i) => Number(i.subtotal) !== Number(i.price) * i.quantity) && 'subtotal',
        JSON.stringify(fs.map((f) => f.seller_id).sort()) !== JSON.stringify(sellers) &&
          'fulfillments',
        fs.some(
          (f) =>
            Number(f.items_total) !==
            sum(its.filter((i) => i.seller_id === f.seller_id).map((i) => i.subtotal)),
        ) && 'fulfillment total',
        Number(o.items_total) !== sum(its.map((i) => i.subtotal)) && 'items_total',
        Number(o.delivery_cost) !== sum(fs.map((f) => f.delivery_cost)) && 'delivery_cost',
        Number(o.total_amount) !== Number(o.items_total) + Number(o.delivery_cost) && 'total',
        !history.some((h) => h.order_id === o.id) && 'history',
      ].filter(Boolean);
      if (problems.length) broken.push(`${o.id}: ${problems.join(', ')}`);
    }
    expect(broken).toEqual([]);
    // one cart → at most one order per customer, whatever was retried
    const perUser = new Map<string, number>();
    for (const o of orders) perUser.set(o.user_id, (perUser.get(o.user_id) ?? 0) + 1);
    expect([...perUser.values()].filter((n) => n > 1)).toEqual([]);
  }

  /** quantity = initial − sold + returned for every product, and the ledger sums to it. */
  async function checkStock() {
    const sold = await db.query<{ product_id: string; n: string | number }>(
      `SELECT product_id, sum(quantity) AS n FROM order_items GROUP BY product_id`,
    );
    const returned = await db.query<{ product_id: string; n: string | number }>(
      `SELECT i.product_id, sum(i.quantity) AS n FROM order_items i
         JOIN fulfillments f ON f.order_id = i.order_id AND f.seller_id = i.seller_id
        WHERE f.status = 'cancelled' GROUP BY i.product_id`,
    );
    const ledger = await db.query<{ product_id: string; reason: string; n: string | number }>(
      `SELECT product_id, reason, sum(delta) AS n FROM stock_movements GROUP BY product_id, reason`,
    );
    const products = await db.query<{ id: string; quantity: number }>(
      `SELECT id, quantity FROM products`,
    );
    const of = (rows: { product_id: string; n: string | number }[], id: string) =>
      Number(rows.find((r) => r.product_id === id)?.n ?? 0);
    const report = productIds.map((id) => {
      const p = products.find((x) => x.id === id)!;
      const moves = ledger.filter((l) => l.product_id === id);
      const byReason = (r: string) => Number(moves.find((m) => m.reason === r)?.n ?? 0);
      return {
        id,
        quantity: Number(p.quantity),
        expected: INITIAL - of(sold, id) + of(returned, id),
        ledger: moves.reduce((a, m) => a + Number(m.n), 0),
        initial: byReason('initial'),
        sales: -byReason('sale') || 0, // (not -0 when nothing sold)
        sold: of(sold, id),
        returns: byReason('cancellation'),
        returned: of(returned, id),
      };
    });
    for (const r of report) {
      expect(r).toEqual({
        ...r,
        expected: r.quantity,
        ledger: r.quantity,
        initial: INITIAL,
        sales: r.sold,
        returns: r.returned,
      });
    }
    // (quantity ≥ 0 needs no check here: the column's CHECK constraint makes it so.) A checkout
    // refused for stock was refused for a reason: for each product it named, the quantity it
    // reported is below what was asked, and no lower than what was still unsold at the end
    // (stock only ever left by sales recorded as order lines, so at the moment of the refusal
    // at least INITIAL − all sold units were there)
    const shortages = customers.flatMap((c) => c.shortages ?? []);
    const wrong = shortages.filter(
      (p) => !(p.available < p.requested && p.available >= INITIAL - of(sold, p.product_id)),
    );
    expect({ refusals: shortages.length, wrong }).toEqual({
      refusals: shortages.length,
      wrong: [],
    });
    // the storm sold real stock
    expect(report.reduce((a, r) => a + r.sold, 0)).toBeGreaterThan(0);
  }

  /** No payment without its order, never two live charges, a cancelled order keeps no money. */
  async function checkPayments() {
    expect(
      await db.count(
        `SELECT count(*) AS n FROM payments p WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = p.order_id)`,
      ),
    ).toBe(0);
    const doubles = await db.query(
      `SELECT order_id, count(*) AS n FROM payments WHERE status IN ('completed', 'pending', 'processing')
        GROUP BY order_id HAVING count(*) > 1`,
    );
    expect(doubles).toEqual([]);
    const wrongAmount = await db.query(
      `SELECT p.id FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.amount <> o.total_amount`,
    );
    expect(wrongAmount).toEqual([]);
    const keptMoney = await db.query(
      `SELECT p.id, o.status FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE p.status = 'completed' AND o.status = 'cancelled'`,
    );
    expect(keptMoney).toEqual([]);
  }

  /** All or nothing per customer: an order and an empty cart, or no order and the whole cart. */
  async function checkCarts() {
    const carts = await db.query<{ user_id: string; n: string | number }>(
      `SELECT user_id, count(*) AS n FROM cart_items GROUP BY user_id`,
    );
    const ordered = new Set(
      (await db.query<{ user_id: string }>(`SELECT user_id FROM orders`)).map((o) => o.user_id),
    );
    const wrong = customers
      .map((c) => ({
        id: c.id,
        ordered: ordered.has(c.id),
        cartLines: Number(carts.find((x) => x.user_id === c.id)?.n ?? 0),
      }))
      .filter((c) =>
        c.ordered
          ? c.cartLines !== 0
          : c.cartLines !== customers.find((x) => x.id === c.id)!.lines.length,
      );
    expect(wrong).toEqual([]);
  }

  /**
   * A payment cut by the crash (left `processing`: charged or not, nobody knows) must not block
   * its order for ever: once the provider's answer is settled, the customer can pay again.
   */
  async function checkInterruptedPayments() {
    const open = await db.query<{ id: string; user_id: string }>(
      `SELECT o.id, o.user_id FROM orders o
        WHERE o.status <> 'cancelled'
          AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status IN ('completed', 'pending'))`,
    );
    const stuck: string[] = [];
    for (let i = 0; i < open.length; i += 10) {
      await Promise.all(
        open.slice(i, i + 10).map(async (o) => {
          const c = customers.find((x) => x.id === o.user_id)!;
          // (a recovery sweep may need a moment after the start to settle what the crash cut)
          const body = { order_id: o.id, payment_method: 'card' };
          let res = await call(c, 'POST', '/api/v1/payments', body);
          for (let k = 0; k < 20 && res.status === 409; k++) {
            await sleep(500);
            res = await call(c, 'POST', '/api/v1/payments', body);
          }
          if (res.status !== 201) stuck.push(`${o.id}: ${res.status} ${JSON.stringify(res.body)}`);
        }),
      );
    }
    expect(stuck).toEqual([]);
    await checkPayments();
  }

  /** Every order has its confirmation in the outbox, and the restarted server sends them all. */
  async function checkMails() {
    const orders = await db.query<{ tracking_number: string; email: string }>(
      `SELECT o.tracking_number, u.email FROM orders o JOIN users u ON u.id = o.user_id`,
    );
    const mails = await db.query<{ to_address: string; text_body: string }>(
      `SELECT to_address, text_body FROM mail_outbox WHERE kind = 'order_confirmation'`,
    );
    const missing = orders.filter(
      (o) =>
        !mails.some((m) => m.to_address === o.email && m.text_body.includes(o.tracking_number)),
    );
    expect(missing).toEqual([]);
    expect(mails.length).toBe(orders.length);
    // mails the killed process had claimed stay leased to it for a minute: let the lease run out
    await db.query(`UPDATE mail_outbox SET locked_until = NULL WHERE status = 'pending'`);
    const deadline = Date.now() + 60_000;
    let pending = Infinity;
    while (Date.now() < deadline) {
      pending = await db.count(`SELECT count(*) AS n FROM mail_outbox WHERE status <> 'sent'`);
      if (pending === 0) break;
      await sleep(200);
    }
    expect(pending).toBe(0);
    const unseen = orders.filter(
      (o) => !sink.mails.some((m) => m.to.includes(o.email) && m.raw.includes(o.tracking_number)),
    );
    expect(unseen).toEqual([]);
  }
});
