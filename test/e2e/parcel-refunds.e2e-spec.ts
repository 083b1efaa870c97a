import { ParcelRefunds } from '../../src/modules/payments/parcel-refunds.service';
import { PaymentProvider, RefundRequest } from '../../src/modules/payments/payment-provider';
import { createTestApp, TestApp } from '../create-test-app';
import { ledgerVsSummary } from '../factories/finance';
import {
  act,
  advance,
  createReturn,
  lineOf,
  parcelLedger,
  paymentStatusOf,
  rowsOf,
  twoSellerOrder,
} from '../factories/returns';
import { Actor, makeUser } from '../factories/users';

const API = '/api/v1';

/**
 * One parcel of a paid multi-seller order cancelled, or delivered and then refunded, while the
 * other seller's parcel goes on (issue 15): the buyer gets that parcel's money back at once —
 * a partial refund whose idempotency reference is the fulfillment id — and a later whole-order
 * refund pays only what is left: never more than was paid.
 */
describe('parcel refunds of a multi-seller order (e2e)', () => {
  let t: TestApp;
  let s1: Actor;
  let s2: Actor;
  let admin: Actor;
  let provider: PaymentProvider;
  let refund: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp({ PAYMENT_TIMEOUT_MS: '1000' });
    [s1, s2, admin] = await Promise.all([
      makeUser(t.http, 'seller'),
      makeUser(t.http, 'seller'),
      makeUser(t.http, 'admin'),
    ]);
    provider = t.app.get(PaymentProvider);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    refund = jest.spyOn(provider, 'refund');
  });
  afterEach(() => jest.restoreAllMocks());

  const move = (who: Actor, orderId: string, status: string) =>
    t.http.put(`${API}/orders/${orderId}/status`).set(who.auth).send({ status });
  const sent = () => refund.mock.calls.map(([r]) => r as RefundRequest);
  /** A card-paid order of 2 × 1 000 ₸ from s1 and 1 × 3 000 ₸ from s2, parcels moved to `to`. */
  async function order(to: 'confirmed' | 'delivered' = 'delivered') {
    const x = await twoSellerOrder(t.http, t.ds, [s1, s2], { to });
    return { ...x, paid: Math.round(x.order.total_amount * 100) };
  }
  const paymentStatus = (buyer: Actor, orderId: string) => paymentStatusOf(t.http, buyer, orderId);
  const ledger = (seller: Actor, fulfillmentId: string) =>
    parcelLedger(t.ds, seller.id, fulfillmentId);

  it('a delivered parcel moved to refunded pays the buyer that parcel at once; the last one pays the rest', async () => {
    const x = await order();
    expect((await move(s1, x.order.id, 'refunded')).status).toBe(200);
    // the buyer got s1's parcel back, keyed by its fulfillment id, while s2's stays sold
    expect(sent()).toEqual([expect.objectContaining({ amount: x.a.total, reference: x.a.id })]);
    const rows = await rowsOf(t.ds, 'refunds', 'reference', x.a.id);
    expect(rows).toEqual([
      expect.objectContaining({ kind: 'parcel', status: 'completed', fulfillment_id: x.a.id }),
    ]);
    expect(Number(rows[0].amount)).toBe(x.a.total);
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('partially_refunded');
    expect(await ledger(s1, x.a.id)).toEqual([
      ['commission', -200_00],
      ['commission_reversal', 200_00],
      ['refund', -x.a.total],
      ['sale', x.a.total],
    ]);
    expect(await ledger(s2, x.b.id)).toEqual([
      ['commission', -300_00],
      ['sale', x.b.total],
    ]);
    // the second parcel closes the order: the whole-order refund sends only what is left
    expect((await move(s2, x.order.id, 'refunded')).status).toBe(200);
    expect(sent().map((r) => r.amount)).toEqual([x.a.total, x.paid - x.a.total]);
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('refunded');
    const payments = await rowsOf(t.ds, 'payments', 'order_id', x.order.id);
    expect(payments.map((p) => p.status)).toEqual(['refunded']);
    for (const s of [s1, s2]) {
      const c = await ledgerVsSummary(t, s.id);
      expect(c.entries).toBe(c.summary);
    }
  });

  it('cancelling one paid parcel refunds that parcel only; its stock comes back; the other goes on', async () => {
    const x = await order('confirmed');
    const cancelled = await move(s1, x.order.id, 'cancelled');
    expect(cancelled.status).toBe(200);
    // s2's parcel is still on its way
    const seen = (await t.http.get(`${API}/orders/${x.order.id}`).set(x.buyer.auth)).body;
    expect(seen.status).toBe('confirmed');
    expect(sent()).toEqual([expect.objectContaining({ amount: x.a.total, reference: x.a.id })]);
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('partially_refunded');
    const [product] = await rowsOf(t.ds, 'products', 'id', x.productA.id);
    expect(Number(product.quantity)).toBe(20);
    const restocked = await rowsOf(t.ds, 'stock_movements', 'order_id', x.order.id);
    expect(restocked.filter((m) => m.reason === 'cancellation').map((m) => m.delta)).toEqual([2]);
    // s2 delivers: its sale is booked in full; nothing more goes back to the buyer
    await advance(t.http, s2, x.order.id, 'delivered');
    expect(await ledger(s2, x.b.id)).toEqual([
      ['commission', -300_00],
      ['sale', x.b.total],
    ]);
    expect(await ledger(s1, x.a.id)).toEqual([]);
    expect(sent()).toHaveLength(1);
    // an admin refunding the rest later pays only s2's parcel
    expect((await move(admin, x.order.id, 'refunded')).status).toBe(200);
    expect(sent().map((r) => r.amount)).toEqual([x.a.total, x.b.total]);
  });

  it('cash on delivery: a parcel cancelled before delivery is not collected; the courier takes the rest', async () => {
    const x = await twoSellerOrder(t.http, t.ds, [s1, s2], {
      method: 'cash_on_delivery',
      to: 'confirmed',
    });
    const collect = async () =>
      (await t.http.get(`${API}/payments/order/${x.order.id}`).set(x.buyer.auth)).body.map(
        (p: { amount: number; status: string }) => [p.status, Math.round(p.amount * 100)],
      );
    expect(await collect()).toEqual([['pending', x.a.total + x.b.total]]);
    expect((await move(s1, x.order.id, 'cancelled')).status).toBe(200);
    // nothing was collected, so nothing goes back: the amount to collect loses s1's parcel
    expect(await collect()).toEqual([['pending', x.b.total]]);
    expect(await rowsOf(t.ds, 'refunds', 'order_id', x.order.id)).toEqual([]);
    expect(sent()).toEqual([]);
    await advance(t.http, s2, x.order.id, 'delivered');
    expect(await collect()).toEqual([['completed', x.b.total]]);
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('completed');
    expect(await ledger(s2, x.b.id)).toEqual([
      ['commission', -300_00],
      ['sale', x.b.total],
    ]);
    expect(await ledger(s1, x.a.id)).toEqual([]);
    // a later whole-order refund gives back what was collected, not the cancelled parcel
    expect((await move(admin, x.order.id, 'refunded')).status).toBe(200);
    expect(sent().map((r) => r.amount)).toEqual([x.b.total]);
  });

  it('cash on delivery not collected yet: a delivered parcel cannot be returned (nothing was paid); refunded, it is not collected', async () => {
    const x = await twoSellerOrder(t.http, t.ds, [s1, s2], {
      method: 'cash_on_delivery',
      to: 'confirmed',
    });
    await advance(t.http, s1, x.order.id, 'delivered');
    const ret = await createReturn(t.http, x.buyer, x.order.id, [
      { order_item_id: lineOf(x.order, x.productA.id), quantity: 1 },
    ]);
    expect([ret.status, ret.body.code, ret.body.rule]).toEqual([
      409,
      'RETURN_NOT_ALLOWED',
      'not_paid',
    ]);
    expect(await rowsOf(t.ds, 'returns', 'order_id', x.order.id)).toEqual([]);
    expect((await move(s1, x.order.id, 'refunded')).status).toBe(200);
    await advance(t.http, s2, x.order.id, 'delivered');
    const [payment] = await rowsOf(t.ds, 'payments', 'order_id', x.order.id);
    expect([payment.status, Number(payment.amount)]).toEqual(['completed', x.b.total]);
    // s1 was never paid for the parcel, so nothing is taken from it either
    expect(await ledger(s1, x.a.id)).toEqual([]);
    expect(await rowsOf(t.ds, 'refunds', 'order_id', x.order.id)).toEqual([]);
    for (const s of [s1, s2]) {
      const c = await ledgerVsSummary(t, s.id);
      expect(c.entries).toBe(c.summary);
    }
  });

  it('a parcel refunded after a return of part of it pays back what the return left; Σ = the payment', async () => {
    const x = await order();
    const ret = (
      await createReturn(t.http, x.buyer, x.order.id, [
        { order_item_id: lineOf(x.order, x.productA.id), quantity: 1 },
      ])
    ).body;
    expect((await act(t.http, s1, ret.id, 'approve')).status).toBe(200);
    expect((await act(t.http, s1, ret.id, 'receive')).body.status).toBe('refunded');
    expect((await move(s1, x.order.id, 'refunded')).status).toBe(200);
    // 1 000 ₸ went back with the return, the parcel refund sends the rest of s1's parcel
    expect(sent().map((r) => [r.reference, r.amount])).toEqual([
      [ret.id, 1000_00],
      [x.a.id, x.a.total - 1000_00],
    ]);
    const entries = await ledger(s1, x.a.id);
    const refunds = entries.filter(([type]) => type === 'refund').map(([, a]) => a);
    expect(refunds.sort()).toEqual([-(x.a.total - 1000_00), -1000_00].sort());
    expect((await move(s2, x.order.id, 'refunded')).status).toBe(200);
    const amounts = sent().map((r) => r.amount);
    expect(amounts.reduce((s, a) => s + a, 0)).toBe(x.paid);
  });

  it('a parcel with an open return is not refunded (409 naming the return) until the return is settled', async () => {
    const x = await order();
    const ret = (
      await createReturn(t.http, x.buyer, x.order.id, [
        { order_item_id: lineOf(x.order, x.productA.id), quantity: 1 },
      ])
    ).body;
    for (const step of ['requested', 'approved']) {
      if (step === 'approved') await act(t.http, s1, ret.id, 'approve');
      const refused = await move(s1, x.order.id, 'refunded');
      expect([refused.status, refused.body.code]).toEqual([409, 'INVALID_TRANSITION']);
      expect(refused.body.message).toContain(step);
    }
    expect(sent()).toEqual([]);
    expect(await ledger(s1, x.a.id)).toEqual([
      ['commission', -200_00],
      ['sale', x.a.total],
    ]);
    expect((await act(t.http, s1, ret.id, 'receive')).body.status).toBe('refunded');
    expect((await move(s1, x.order.id, 'refunded')).status).toBe(200);
    expect(sent().map((r) => r.amount)).toEqual([1000_00, x.a.total - 1000_00]);
  });

  it('a parcel refund the provider fails is retried by the recovery sweep with the same reference, once', async () => {
    const x = await order();
    refund.mockImplementationOnce(() => Promise.reject(new Error('acquirer down')));
    expect((await move(s1, x.order.id, 'refunded')).status).toBe(200);
    expect(await rowsOf(t.ds, 'refunds', 'reference', x.a.id)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1 }),
    ]);
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('completed');
    const parcelsSweep = t.app.get(ParcelRefunds);
    // not due yet (backoff), then due
    expect(await parcelsSweep.retryOpen(50)).toBe(0);
    const later = new Date(Date.now() + 60_000);
    const [first, second] = await Promise.all([
      parcelsSweep.retryOpen(50, later),
      parcelsSweep.retryOpen(50, later),
    ]);
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect(sent().filter((r) => r.reference === x.a.id)).toHaveLength(2);
    expect(await rowsOf(t.ds, 'refunds', 'reference', x.a.id)).toEqual([
      expect.objectContaining({ status: 'completed', attempts: 2 }),
    ]);
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('partially_refunded');
    expect(await parcelsSweep.retryOpen(50, later)).toBe(0);
  });
});
