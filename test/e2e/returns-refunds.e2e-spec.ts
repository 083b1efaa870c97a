import { PaymentProvider } from '../../src/modules/payments/payment-provider';
import { PaymentRefundsService } from '../../src/modules/payments/payment-refunds.service';
import { createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { act, createReturn, lineOf, paidOrder, RETURNS, rowsOf } from '../factories/returns';
import { Actor, makeUser } from '../factories/users';

/**
 * Returns' refunds under faults and races (CONTRACT Part 2, Returns): a provider failure leaves
 * the return received with refund_status failed, the recovery sweep pays it later, and nothing is
 * ever paid, restocked or booked twice.
 */
describe('returns: refunds that fail, retries and races (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  let provider: PaymentProvider;

  beforeAll(async () => {
    t = await createTestApp({ RETURN_SWEEP_MS: '200', PAYMENT_TIMEOUT_MS: '1000' });
    seller = await makeUser(t.http, 'seller');
    provider = t.app.get(PaymentProvider);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** An approved return of 1 of the 2 units of a delivered, card-paid order. */
  async function approvedReturn() {
    const buyer = await makeUser(t.http, 'customer');
    const product = await insertProduct(t.ds, seller.id, { price: 700, quantity: 10 });
    const order = await paidOrder(t.http, buyer, [{ product, quantity: 2 }], [seller]);
    const ret = (
      await createReturn(t.http, buyer, order.id, [
        { order_item_id: lineOf(order, product.id), quantity: 1 },
      ])
    ).body;
    expect((await act(t.http, seller, ret.id, 'approve')).body.status).toBe('approved');
    return { buyer, product, order, ret };
  }
  const callsFor = (spy: jest.SpyInstance, reference: string) =>
    spy.mock.calls.filter(([req]) => (req as { reference: string }).reference === reference);
  const returnMoves = async (productId: string) =>
    (await rowsOf(t.ds, 'stock_movements', 'product_id', productId)).filter(
      (m) => m.reason === 'return',
    );

  it.each([
    ['fails', () => Promise.reject(new Error('provider unavailable'))],
    ['declines', () => Promise.resolve({ status: 'failed' as const, failure_reason: 'declined' })],
  ])(
    'a refund the provider %s: received + refund_status failed; the sweep pays it once later',
    async (_mode, failure) => {
      const { buyer, order, ret, product } = await approvedReturn();
      const refund = jest.spyOn(provider, 'refund');
      refund.mockImplementationOnce(failure);
      const got = await act(t.http, seller, ret.id, 'receive');
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ status: 'received', refund_status: 'failed' });
      expect(
        (await t.http.get(`/api/v1/orders/${order.id}`).set(buyer.auth)).body.payment_status,
      ).toBe('completed');
      const deadline = Date.now() + 15_000;
      let now = got.body;
      while (now.status !== 'refunded' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        now = (await t.http.get(`${RETURNS}/${ret.id}`).set(buyer.auth)).body;
      }
      expect(now).toMatchObject({ status: 'refunded', refund_status: 'completed' });
      // one failed call, one that paid; no more however long the sweep runs
      await new Promise((r) => setTimeout(r, 600));
      expect(callsFor(refund, ret.id)).toHaveLength(2);
      const rows = await rowsOf(t.ds, 'refunds', 'reference', ret.id);
      expect(rows).toEqual([expect.objectContaining({ status: 'completed', attempts: 2 })]);
      expect(Number(rows[0].amount)).toBe(700_00);
      const ledger = await rowsOf(t.ds, 'seller_ledger_entries', 'return_id', ret.id);
      expect(ledger.map((e) => e.type).sort()).toEqual(['commission_reversal', 'refund']);
      expect(await returnMoves(product.id)).toHaveLength(1);
      expect(
        (await t.http.get(`/api/v1/orders/${order.id}`).set(buyer.auth)).body.payment_status,
      ).toBe('partially_refunded');
    },
  );

  it('asked again with a paid reference, payments answers completed without calling the provider', async () => {
    const { ret, order } = await approvedReturn();
    expect((await act(t.http, seller, ret.id, 'receive')).body.status).toBe('refunded');
    const refund = jest.spyOn(provider, 'refund');
    const again = await t.app
      .get(PaymentRefundsService)
      .refund({ orderId: order.id, amount: 700_00, reference: ret.id });
    expect(again.status).toBe('completed');
    expect(refund).not.toHaveBeenCalled();
    expect(await rowsOf(t.ds, 'refunds', 'reference', ret.id)).toHaveLength(1);
  });

  it('more than is left of the payment is not refunded', async () => {
    const { order } = await approvedReturn();
    const refund = jest.spyOn(provider, 'refund');
    const out = await t.app
      .get(PaymentRefundsService)
      .refund({ orderId: order.id, amount: 100_000_00, reference: 'too-much-' + order.id });
    expect(out.status).toBe('failed');
    expect(refund).not.toHaveBeenCalled();
  });

  it('two receives at once: one 200, one 409; restocked once, refunded once, booked once', async () => {
    const { ret, product } = await approvedReturn();
    const refund = jest.spyOn(provider, 'refund');
    const admin = await makeUser(t.http, 'admin');
    const answers = await Promise.all([
      act(t.http, seller, ret.id, 'receive'),
      act(t.http, admin, ret.id, 'receive'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 200)!.body.status).toBe('refunded');
    expect(callsFor(refund, ret.id)).toHaveLength(1);
    expect(await returnMoves(product.id)).toHaveLength(1);
    expect(await rowsOf(t.ds, 'refunds', 'reference', ret.id)).toHaveLength(1);
    const ledger = await rowsOf(t.ds, 'seller_ledger_entries', 'return_id', ret.id);
    expect(ledger.map((e) => e.type).sort()).toEqual(['commission_reversal', 'refund']);
  });

  it('two returns of one order created at once never hold more than was bought', async () => {
    const buyer = await makeUser(t.http, 'customer');
    const product = await insertProduct(t.ds, seller.id, { price: 100, quantity: 10 });
    const order = await paidOrder(t.http, buyer, [{ product, quantity: 3 }], [seller]);
    const line = lineOf(order, product.id);
    const answers = await Promise.all(
      [2, 2].map((quantity) =>
        createReturn(t.http, buyer, order.id, [{ order_item_id: line, quantity }]),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  });

  it('a delivered parcel refunded after a return pays back only what the return left', async () => {
    const { order, ret } = await approvedReturn();
    const refund = jest.spyOn(provider, 'refund');
    expect((await act(t.http, seller, ret.id, 'receive')).body.status).toBe('refunded');
    const admin = await makeUser(t.http, 'admin');
    const moved = await t.http
      .put(`/api/v1/orders/${order.id}/status`)
      .set(admin.auth)
      .send({ status: 'refunded' });
    expect(moved.status).toBe(200);
    const amounts = refund.mock.calls.map(([req]) => (req as { amount: number }).amount);
    // the return took 700 ₸ of the order; the whole-order refund sends the rest, never all again
    expect(amounts).toEqual([700_00, Math.round(order.total_amount * 100) - 700_00]);
  });
});
