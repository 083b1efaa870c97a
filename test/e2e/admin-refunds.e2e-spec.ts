import { PaymentProvider } from '../../src/modules/payments/payment-provider';
import { createTestApp, TestApp } from '../create-test-app';
import { ledgerVsSummary } from '../factories/finance';
import {
  act,
  createReturn,
  lineOf,
  parcelLedger,
  paymentStatusOf,
  rowsOf,
  twoSellerOrder,
} from '../factories/returns';
import { Actor, makeUser } from '../factories/users';

const API = '/api/v1';
const REFUNDS = `${API}/admin/refunds`;

/**
 * Manual refunds (cash on delivery, paid out of band) of any kind — a return's, or one parcel's
 * of an order that goes on — are queued at GET /admin/refunds and marked paid through one admin
 * route, once, however many admins press it at the same moment (issue 15).
 */
describe('admin refunds: the manual queue and mark-paid (e2e)', () => {
  let t: TestApp;
  let s1: Actor;
  let s2: Actor;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp({ PAYMENT_TIMEOUT_MS: '1000' });
    [s1, s2, admin] = await Promise.all([
      makeUser(t.http, 'seller'),
      makeUser(t.http, 'seller'),
      makeUser(t.http, 'admin'),
    ]);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  const markPaid = (who: Actor, id: string) =>
    t.http.post(`${REFUNDS}/${id}/mark-paid`).set(who.auth).send();
  const queue = async (query = 'status=pending&method=manual&page_size=100') => {
    const res = await t.http.get(`${REFUNDS}?${query}`).set(admin.auth);
    expect(res.status).toBe(200);
    return res.body as { items: Record<string, any>[]; total: number };
  };
  const paymentStatus = (buyer: Actor, orderId: string) => paymentStatusOf(t.http, buyer, orderId);
  const ledgerOf = (seller: Actor, fulfillmentId: string) =>
    parcelLedger(t.ds, seller.id, fulfillmentId);

  /** A delivered two-seller order (2 × 1 000 ₸ from s1, 1 × 3 000 ₸ from s2) paid by `method`. */
  async function order(method: 'card' | 'cash_on_delivery') {
    const x = await twoSellerOrder(t.http, t.ds, [s1, s2], { method });
    return { ...x, parcel: x.a };
  }
  /** s1's parcel of the order moved delivered → refunded: its refund row. */
  async function refundParcel(x: Awaited<ReturnType<typeof order>>) {
    const moved = await t.http
      .put(`${API}/orders/${x.order.id}/status`)
      .set(s1.auth)
      .send({ status: 'refunded' });
    expect(moved.status).toBe(200);
    const [row] = await rowsOf(t.ds, 'refunds', 'reference', x.parcel.id);
    return row;
  }

  it('a cash-on-delivery parcel refund is queued, and two admins marking it paid at once change it once', async () => {
    const x = await order('cash_on_delivery');
    expect(x.order.payment_status).toBe('completed');
    const row = await refundParcel(x);
    expect(row).toMatchObject({ kind: 'parcel', status: 'manual' });
    // owed, not paid: the order's payment is untouched until an admin pays the cash back
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('completed');
    const queued = (await queue()).items.find((r) => r.id === row.id);
    expect(queued).toMatchObject({
      kind: 'parcel',
      method: 'manual',
      status: 'pending',
      order_id: x.order.id,
      fulfillment_id: x.parcel.id,
      return_id: null,
      amount: x.parcel.total / 100,
    });
    const sellerSide = await ledgerOf(s1, x.parcel.id);
    expect(sellerSide).toEqual([
      ['commission', -200_00],
      ['commission_reversal', 200_00],
      ['refund', -x.parcel.total],
      ['sale', x.parcel.total],
    ]);

    expect((await markPaid(s1, row.id)).status).toBe(403);
    const [first, second] = await Promise.all([markPaid(admin, row.id), markPaid(admin, row.id)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ id: row.id, method: 'manual', status: 'completed' });
    expect(second.body).toEqual(first.body);
    // a third call answers the same, and changes nothing
    const third = await markPaid(admin, row.id);
    expect([third.status, third.body]).toEqual([200, first.body]);

    expect(await rowsOf(t.ds, 'refunds', 'reference', x.parcel.id)).toEqual([
      expect.objectContaining({ status: 'paid' }),
    ]);
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('partially_refunded');
    const [payment] = await rowsOf(t.ds, 'payments', 'order_id', x.order.id);
    expect(payment.status).toBe('completed');
    // the seller side was booked at the move, once; marking paid adds nothing
    expect(await ledgerOf(s1, x.parcel.id)).toEqual(sellerSide);
    const c = await ledgerVsSummary(t, s1.id);
    expect(c.entries).toBe(c.summary);
    expect((await queue()).items.map((r) => r.id)).not.toContain(row.id);
    const done = (await queue('status=completed&method=manual&page_size=100')).items;
    expect(done.map((r) => r.id)).toContain(row.id);
  });

  it('a return’s manual refund marked paid here moves the return to refunded and books it once', async () => {
    const x = await order('cash_on_delivery');
    const ret = (
      await createReturn(t.http, x.buyer, x.order.id, [
        { order_item_id: lineOf(x.order, x.productA.id), quantity: 1 },
      ])
    ).body;
    expect((await act(t.http, s1, ret.id, 'approve')).status).toBe(200);
    expect((await act(t.http, s1, ret.id, 'receive')).body.refund_status).toBe('manual');
    const queued = (await queue()).items.find((r) => r.return_id === ret.id);
    expect(queued).toMatchObject({ kind: 'return', method: 'manual', status: 'pending' });
    expect(queued!.amount).toBe(1000);

    const [first, second] = await Promise.all([
      markPaid(admin, queued!.id),
      markPaid(admin, queued!.id),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toEqual(first.body);
    expect(first.body).toMatchObject({ status: 'completed', return_id: ret.id });
    const seen = await act(t.http, admin, ret.id, 'refund-paid');
    expect(seen.status).toBe(409); // already refunded through the admin route
    const got = (await t.http.get(`${API}/returns/${ret.id}`).set(x.buyer.auth)).body;
    expect(got).toMatchObject({ status: 'refunded', refund_status: 'completed' });
    const entries = await rowsOf(t.ds, 'seller_ledger_entries', 'return_id', ret.id);
    expect(entries.map((e) => [e.type, Number(e.amount)]).sort()).toEqual([
      ['commission_reversal', 100_00],
      ['refund', -1000_00],
    ]);
    expect(await paymentStatus(x.buyer, x.order.id)).toBe('partially_refunded');
  });

  it('404 unknown, 400 a bad id, 409 a provider refund (completed or failed) — nothing changes', async () => {
    expect((await markPaid(admin, '6f1c2b1e-3d4a-4c8e-9f00-1a2b3c4d5e6f')).status).toBe(404);
    expect((await markPaid(admin, 'nope')).status).toBe(400);

    const paid = await refundParcel(await order('card'));
    expect(paid.status).toBe('completed');
    const refused = await markPaid(admin, paid.id);
    expect([refused.status, refused.body.code]).toEqual([409, 'REFUND_NOT_MANUAL']);

    jest
      .spyOn(t.app.get(PaymentProvider), 'refund')
      .mockResolvedValue({ status: 'failed', failure_reason: 'card_closed' });
    const y = await order('card');
    const failed = await refundParcel(y);
    expect(failed.status).toBe('failed');
    const again = await markPaid(admin, failed.id);
    expect([again.status, again.body.code]).toEqual([409, 'REFUND_NOT_MANUAL']);
    expect(again.body.message).toContain('failed');
    expect(await rowsOf(t.ds, 'refunds', 'id', failed.id)).toEqual([
      expect.objectContaining({ status: 'failed', attempts: failed.attempts }),
    ]);
    expect(await paymentStatus(y.buyer, y.order.id)).toBe('completed');
    const listed = (await queue('status=failed&page_size=100')).items.map((r) => r.id);
    expect(listed).toContain(failed.id);
    expect(listed).not.toContain(paid.id);
  });

  it('the list filters are validated, and a filter nothing can match answers an empty page', async () => {
    expect((await queue('status=failed&method=manual')).total).toBe(0);
    const bad = await t.http.get(`${REFUNDS}?status=paid`).set(admin.auth);
    expect(bad.status).toBe(400);
    expect((await t.http.get(`${REFUNDS}?method=cash`).set(admin.auth)).status).toBe(400);
    expect((await t.http.get(REFUNDS).set(s1.auth)).status).toBe(403);
  });
});
