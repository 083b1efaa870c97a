import { Product } from '../../src/modules/products/product.entity';
import { Clock } from '../../src/modules/returns/clock';
import { createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { act, createReturn, lineOf, paidOrder, RETURNS, rowsOf } from '../factories/returns';
import { Actor, makeUser } from '../factories/users';
import { SmtpSink } from '../support/smtp-sink';

const DAY = 86_400_000;

/** CONTRACT Part 2, Returns: every row of the table, on the real app (SQLite or PostgreSQL). */
describe('returns (e2e)', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let seller: Actor;
  let seller2: Actor;
  let admin: Actor;
  let clock: Clock;

  beforeAll(async () => {
    t = await createTestApp({
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await sink.start()),
      RETURN_SWEEP_MS: '200',
    });
    seller = await makeUser(t.http, 'seller', { first_name: 'Ерлан' });
    seller2 = await makeUser(t.http, 'seller');
    admin = await makeUser(t.http, 'admin');
    clock = t.app.get(Clock);
  });
  afterAll(async () => {
    await t?.close();
    await sink.stop();
  });
  afterEach(() => jest.restoreAllMocks());

  /** A buyer with a delivered, paid order of `quantity` units of a new product of `seller`. */
  async function delivered(
    o: {
      quantity?: number;
      category?: Product['category'];
      method?: 'card' | 'cash_on_delivery';
    } = {},
  ) {
    const buyer = await makeUser(t.http, 'customer', { first_name: 'Айгерим' });
    const product = await insertProduct(t.ds, seller.id, {
      price: 1000,
      quantity: 20,
      category: o.category,
    });
    const order = await paidOrder(
      t.http,
      buyer,
      [{ product, quantity: o.quantity ?? 3 }],
      [seller],
      {
        method: o.method,
      },
    );
    return { buyer, product, order, line: lineOf(order, product.id) };
  }
  const quantityOf = async (id: string) =>
    (await t.ds.getRepository(Product).findOneByOrFail({ id })).quantity;
  const orderOf = async (buyer: Actor, id: string) =>
    (await t.http.get(`/api/v1/orders/${id}`).set(buyer.auth)).body;

  describe('POST /returns', () => {
    it('lines of two sellers → 400 naming the line; nothing is created', async () => {
      const buyer = await makeUser(t.http, 'customer');
      const a = await insertProduct(t.ds, seller.id, { price: 1000 });
      const b = await insertProduct(t.ds, seller2.id, { price: 500 });
      const order = await paidOrder(
        t.http,
        buyer,
        [{ product: a }, { product: b }],
        [seller, seller2],
      );
      const res = await createReturn(t.http, buyer, order.id, [
        { order_item_id: lineOf(order, a.id), quantity: 1 },
        { order_item_id: lineOf(order, b.id), quantity: 1 },
      ]);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('items.1.order_item_id');
      expect(await rowsOf(t.ds, 'returns', 'order_id', order.id)).toHaveLength(0);
    });

    it('a fulfillment not delivered → 409 RETURN_NOT_ALLOWED', async () => {
      const buyer = await makeUser(t.http, 'customer');
      const p = await insertProduct(t.ds, seller.id);
      const order = await paidOrder(t.http, buyer, [{ product: p }], [seller], { to: 'shipped' });
      const res = await createReturn(t.http, buyer, order.id, [
        { order_item_id: lineOf(order, p.id), quantity: 1 },
      ]);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('RETURN_NOT_ALLOWED');
    });

    it('past RETURN_WINDOW (14 days) of the delivery → 409 RETURN_NOT_ALLOWED; within it → 201', async () => {
      const { buyer, order, line } = await delivered();
      const real = clock.now();
      jest.spyOn(clock, 'now').mockReturnValue(new Date(real.getTime() + 14 * DAY + 60_000));
      const late = await createReturn(t.http, buyer, order.id, [
        { order_item_id: line, quantity: 1 },
      ]);
      expect(late.status).toBe(409);
      expect(late.body.code).toBe('RETURN_NOT_ALLOWED');
      jest.spyOn(clock, 'now').mockReturnValue(new Date(real.getTime() + 13 * DAY));
      const inTime = await createReturn(t.http, buyer, order.id, [
        { order_item_id: line, quantity: 1 },
      ]);
      expect(inTime.status).toBe(201);
    });

    it('more than bought minus already requested → 409 RETURN_QUANTITY_EXCEEDED', async () => {
      const { buyer, order, line } = await delivered({ quantity: 3 });
      const over = await createReturn(t.http, buyer, order.id, [
        { order_item_id: line, quantity: 4 },
      ]);
      expect(over.status).toBe(409);
      expect(over.body.code).toBe('RETURN_QUANTITY_EXCEEDED');
      const first = await createReturn(t.http, buyer, order.id, [
        { order_item_id: line, quantity: 2 },
      ]);
      expect(first.status).toBe(201);
      const again = await createReturn(t.http, buyer, order.id, [
        { order_item_id: line, quantity: 2 },
      ]);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('RETURN_QUANTITY_EXCEEDED');
      // a cancelled return gives its quantity back
      expect((await act(t.http, buyer, first.body.id, 'cancel')).body.status).toBe('cancelled');
      expect(
        (await createReturn(t.http, buyer, order.id, [{ order_item_id: line, quantity: 3 }]))
          .status,
      ).toBe(201);
    });

    it.each(['food', 'beauty'] as const)(
      'changed_mind for %s → 409 RETURN_NOT_ALLOWED; defective is accepted',
      async (category) => {
        const { buyer, order, line } = await delivered({ category });
        const res = await createReturn(t.http, buyer, order.id, [
          { order_item_id: line, quantity: 1, reason: 'changed_mind' },
        ]);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('RETURN_NOT_ALLOWED');
        const ok = await createReturn(t.http, buyer, order.id, [
          { order_item_id: line, quantity: 1, reason: 'defective' },
        ]);
        expect(ok.status).toBe(201);
      },
    );

    it("another user's order → 404; the return is made requested and the seller is emailed", async () => {
      const { buyer, order, line, product } = await delivered();
      const other = await makeUser(t.http, 'customer');
      const foreign = await createReturn(t.http, other, order.id, [
        { order_item_id: line, quantity: 1 },
      ]);
      expect(foreign.status).toBe(404);
      const res = await createReturn(t.http, buyer, order.id, [
        { order_item_id: line, quantity: 1, comment: 'не включается' },
      ]);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        order_id: order.id,
        seller_id: seller.id,
        status: 'requested',
        refund_amount: 1000,
        refund_status: null,
        items: [{ order_item_id: line, product_id: product.id, quantity: 1, reason: 'defective' }],
      });
      await sink.waitFor((ms) =>
        ms.some((m) => m.to.includes(seller.email) && m.raw.includes('Новая заявка на возврат')),
      );
    });
  });

  it('visibility: the buyer (own), the seller of the fulfillment, admins; anyone else 404', async () => {
    const { buyer, order, line } = await delivered();
    const ret = (
      await createReturn(t.http, buyer, order.id, [{ order_item_id: line, quantity: 1 }])
    ).body;
    const stranger = await makeUser(t.http, 'customer');
    for (const who of [buyer, seller, admin]) {
      expect((await t.http.get(`${RETURNS}/${ret.id}`).set(who.auth)).status).toBe(200);
      const page = await t.http.get(RETURNS).query({ page_size: 100 }).set(who.auth);
      expect(page.body.items.map((r: { id: string }) => r.id)).toContain(ret.id);
    }
    for (const who of [stranger, seller2]) {
      expect((await t.http.get(`${RETURNS}/${ret.id}`).set(who.auth)).status).toBe(404);
      const page = await t.http.get(RETURNS).set(who.auth);
      expect(page.body.items.map((r: { id: string }) => r.id)).not.toContain(ret.id);
      expect((await act(t.http, who, ret.id, 'cancel')).status).toBe(404);
    }
    expect((await act(t.http, seller2, ret.id, 'approve')).status).toBe(404);
    const byStatus = await t.http.get(RETURNS).query({ status: 'approved' }).set(buyer.auth);
    expect(byStatus.body.items).toEqual([]);
  });

  it('reject needs a note (400); the seller rejects with one; the buyer is told', async () => {
    const { buyer, order, line } = await delivered();
    const ret = (
      await createReturn(t.http, buyer, order.id, [{ order_item_id: line, quantity: 1 }])
    ).body;
    expect((await act(t.http, buyer, ret.id, 'approve')).status).toBe(403);
    expect((await act(t.http, seller, ret.id, 'reject')).status).toBe(400);
    const res = await act(t.http, seller, ret.id, 'reject', { note: 'следы использования' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'rejected',
      decided_by: seller.id,
      decision_note: 'следы использования',
    });
    expect((await act(t.http, seller, ret.id, 'approve')).status).toBe(409);
    await sink.waitFor((ms) =>
      ms.some((m) => m.to.includes(buyer.email) && m.raw.includes('следы использования')),
    );
  });

  it('approve → receive: stock back (a `return` movement), refunded through the provider; order partially_refunded, then refunded with the delivery when the rest comes back', async () => {
    const { buyer, order, line, product } = await delivered({ quantity: 3 });
    expect(order.total_amount).toBe(4500);
    const before = await quantityOf(product.id);
    const r1 = (await createReturn(t.http, buyer, order.id, [{ order_item_id: line, quantity: 1 }]))
      .body;
    expect((await act(t.http, buyer, r1.id, 'receive')).status).toBe(403);
    expect((await act(t.http, seller, r1.id, 'receive')).status).toBe(409); // not approved yet
    expect((await act(t.http, seller, r1.id, 'approve')).body.status).toBe('approved');
    const got = await act(t.http, seller, r1.id, 'receive');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      status: 'refunded',
      refund_status: 'completed',
      refund_amount: 1000,
    });
    expect(got.body.history.map((h: { status: string }) => h.status)).toEqual([
      'requested',
      'approved',
      'received',
      'refunded',
    ]);
    expect(await quantityOf(product.id)).toBe(before + 1);
    const moves = await rowsOf(t.ds, 'stock_movements', 'product_id', product.id);
    expect(moves.filter((m) => m.reason === 'return')).toEqual([
      expect.objectContaining({ delta: 1, order_id: order.id, actor_id: seller.id }),
    ]);
    expect((await orderOf(buyer, order.id)).payment_status).toBe('partially_refunded');
    const ledgerOf = async (id: string) =>
      (await rowsOf(t.ds, 'seller_ledger_entries', 'return_id', id))
        .map((e) => [e.type, Number(e.amount)])
        .sort();
    // 3 units at 1 000 ₸ froze 10 % = 300 ₸ of commission: one unit back reverses a third of it
    expect(await ledgerOf(r1.id)).toEqual([
      ['commission_reversal', 100_00],
      ['refund', -1000_00],
    ]);

    const r2 = (await createReturn(t.http, buyer, order.id, [{ order_item_id: line, quantity: 2 }]))
      .body;
    await act(t.http, seller, r2.id, 'approve');
    const last = await act(t.http, admin, r2.id, 'receive');
    expect(last.body).toMatchObject({ status: 'refunded', refund_amount: 3500 }); // + delivery 1500
    expect((await orderOf(buyer, order.id)).payment_status).toBe('refunded');
    // the rest of the commission, so the two reversals add up to exactly the line's 300 ₸
    expect(await ledgerOf(r2.id)).toEqual([
      ['commission_reversal', 200_00],
      ['refund', -3500_00],
    ]);
    const refunds = await rowsOf(t.ds, 'refunds', 'order_id', order.id);
    expect(refunds.map((r) => Number(r.amount)).sort()).toEqual([1000_00, 3500_00]);
    expect(refunds.every((r) => r.status === 'completed')).toBe(true);
    await sink.waitFor((ms) =>
      ms.some((m) => m.to.includes(buyer.email) && m.raw.includes('Деньги за возврат отправлены')),
    );
  });

  it('the whole parcel back for changed_mind: the delivery cost is not refunded', async () => {
    const { buyer, order, line } = await delivered({ quantity: 2 });
    const ret = (
      await createReturn(t.http, buyer, order.id, [
        { order_item_id: line, quantity: 2, reason: 'changed_mind' },
      ])
    ).body;
    expect(ret.refund_amount).toBe(2000);
    await act(t.http, seller, ret.id, 'approve');
    const got = await act(t.http, seller, ret.id, 'receive');
    expect(got.body).toMatchObject({ status: 'refunded', refund_amount: 2000 });
    expect((await orderOf(buyer, order.id)).payment_status).toBe('partially_refunded');
  });

  it('cash on delivery: refund_status manual, then an admin marks it paid (PUT /refund-paid)', async () => {
    const { buyer, order, line } = await delivered({ quantity: 1, method: 'cash_on_delivery' });
    expect(order.payment_status).toBe('completed');
    const ret = (
      await createReturn(t.http, buyer, order.id, [{ order_item_id: line, quantity: 1 }])
    ).body;
    await act(t.http, seller, ret.id, 'approve');
    const got = await act(t.http, seller, ret.id, 'receive');
    expect(got.body).toMatchObject({
      status: 'received',
      refund_status: 'manual',
      refund_amount: 2500,
    });
    expect((await act(t.http, seller, ret.id, 'refund-paid')).status).toBe(403);
    const paid = await act(t.http, admin, ret.id, 'refund-paid');
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'refunded', refund_status: 'completed' });
    expect((await act(t.http, admin, ret.id, 'refund-paid')).status).toBe(409);
    expect((await orderOf(buyer, order.id)).payment_status).toBe('refunded');
    const ledger = await rowsOf(t.ds, 'seller_ledger_entries', 'return_id', ret.id);
    expect(ledger.map((e) => [e.type, Number(e.amount)]).sort()).toEqual([
      ['commission_reversal', 100_00], // 10 % of the 1 000 ₸ line; the 1 500 ₸ delivery bears none
      ['refund', -2500_00],
    ]);
    await sink.waitFor((ms) =>
      ms.some((m) => m.to.includes(buyer.email) && m.raw.includes('Возврат денег наличными')),
    );
  });

  it('no decision within RETURN_RESPONSE_TIME: the sweep escalates it, then only an admin decides', async () => {
    const { buyer, order, line } = await delivered();
    const ret = (
      await createReturn(t.http, buyer, order.id, [{ order_item_id: line, quantity: 1 }])
    ).body;
    jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 3 * DAY + 60_000));
    const deadline = Date.now() + 10_000;
    let status = 'requested';
    while (status !== 'escalated' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await t.http.get(`${RETURNS}/${ret.id}`).set(buyer.auth)).body.status;
    }
    expect(status).toBe('escalated');
    jest.restoreAllMocks();
    const seen = (await t.http.get(`${RETURNS}/${ret.id}`).set(admin.auth)).body;
    expect(seen.escalated_at).not.toBeNull();
    expect((await act(t.http, seller, ret.id, 'approve')).status).toBe(409);
    expect((await act(t.http, buyer, ret.id, 'cancel')).status).toBe(409);
    const decided = await act(t.http, admin, ret.id, 'approve', { note: 'по гарантии' });
    expect(decided.body).toMatchObject({ status: 'approved', decided_by: admin.id });
    await sink.waitFor((ms) =>
      ms.some((m) => m.to.includes(buyer.email) && m.raw.includes('передана администратору')),
    );
  });
});
