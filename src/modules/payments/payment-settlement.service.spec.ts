import type { RefundResult } from './payment-provider';
import { fakePayments } from './payments.fakes';

function make() {
  const provider = {
    refund: jest.fn(async (): Promise<RefundResult> => ({ status: 'refunded', refund_id: 'r1' })),
  };
  const t = fakePayments(provider);
  jest.spyOn(t.settlement['logger'], 'error').mockImplementation(() => undefined);
  return { ...t, provider };
}

describe('PaymentSettlement', () => {
  it('moves a payment still in `from`, applies it to the order and queues the mail in one transaction', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'processing', amount: 123_45 });
    const { payment, changed } = await t.settlement.settle(
      'p1',
      ['processing'],
      { status: 'completed', transactionId: 'demo_1', failureReason: null },
      'buyer',
    );
    expect(changed).toBe(true);
    expect(payment).toMatchObject({ status: 'completed', transactionId: 'demo_1' });
    expect(t.uow.runs).toBe(1);
    expect(t.orders.applied).toEqual([['o1', 'completed', 'buyer']]);
    const [mail] = t.notifier.queued;
    expect(mail.tx).toBe(t.uow.tx);
    expect([mail.status, mail.outcome.orderStatus, mail.amount]).toEqual([
      'completed',
      'confirmed',
      123_45,
    ]);
    expect(t.notifier.queued).toHaveLength(1);
    expect(t.notifier.kicks).toBe(1);
  });

  it('a declined charge: failed with its reason, the order told, no refund', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'processing' });
    await t.settlement.settle(
      'p1',
      ['processing'],
      { status: 'failed', failureReason: 'card_declined' },
      'buyer',
    );
    expect(t.repo.rows.get('p1')).toMatchObject({
      status: 'failed',
      failureReason: 'card_declined',
    });
    expect(t.orders.applied).toEqual([['o1', 'failed', 'buyer']]);
    expect(t.provider.refund).not.toHaveBeenCalled();
  });

  it('a replayed callback changes nothing: no order change, no mail, no kick', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'completed', transactionId: 'demo_1' });
    const { payment, changed } = await t.settlement.settle(
      'p1',
      ['pending', 'processing'],
      { status: 'failed', failureReason: 'declined_by_provider' },
      null,
    );
    expect(changed).toBe(false);
    expect(payment.status).toBe('completed');
    expect(t.orders.applied).toEqual([]);
    expect(t.notifier.queued).toEqual([]);
    expect(t.notifier.kicks).toBe(0);
  });

  it('a charge that completes on an order cancelled meanwhile is refunded at once', async () => {
    const t = make();
    t.orders.closed = true;
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'processing', amount: 99_00 });
    const { payment } = await t.settlement.settle(
      'p1',
      ['processing'],
      { status: 'completed' },
      'b',
    );
    expect(payment.status).toBe('refunded');
    expect(t.provider.refund).toHaveBeenCalledWith({
      transactionId: 'txn_p1',
      amount: 99_00,
      method: 'card',
      reference: 'p1',
    });
    expect(t.orders.applied.map(([, s]) => s)).toEqual(['completed', 'refunded']);
  });

  it('refunds the completed payment at cancel once, even when asked twice at the same time', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'completed' });
    await Promise.all([
      t.settlement.refundOrderPayment('o1', 'buyer'),
      t.settlement.refundOrderPayment('o1', 'buyer'),
    ]);
    await t.settlement.refundOrderPayment('o1', 'buyer');
    expect(t.provider.refund).toHaveBeenCalledTimes(1);
    expect(t.repo.status('p1')).toBe('refunded');
    expect(t.orders.applied).toEqual([['o1', 'refunded', 'buyer']]);
    expect(t.notifier.queued.map((m) => m.status)).toEqual(['refunded']);
  });

  it('a whole-order refund after returns pays back only what is left, and nothing when nothing is', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'completed', amount: 5000_00 });
    t.partials.taken.set('p1', 1200_00); // a return already refunded 1 200 ₸ of it
    await t.settlement.refundOrderPayment('o1', 'buyer');
    expect(t.provider.refund).toHaveBeenCalledTimes(1);
    expect(t.provider.refund).toHaveBeenCalledWith(expect.objectContaining({ amount: 3800_00 }));
    expect(t.notifier.queued.map((m) => m.amount)).toEqual([3800_00]);

    const all = make();
    all.repo.add({ id: 'p2', orderId: 'o2', status: 'completed', amount: 5000_00 });
    all.partials.taken.set('p2', 5000_00); // returns gave everything back
    await all.settlement.refundOrderPayment('o2', 'buyer');
    expect(all.provider.refund).not.toHaveBeenCalled();
    expect(all.repo.status('p2')).toBe('refunded');
  });

  it.each([
    ['fails', () => Promise.reject(new Error('acquirer down'))],
    ['refuses', () => Promise.resolve<RefundResult>({ status: 'failed', failure_reason: 'no' })],
    ['hangs past the timeout', () => new Promise<RefundResult>(() => undefined)],
  ])('a refund the provider %s is put back (completed), for a retry', async (_, outcome) => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'completed' });
    t.provider.refund.mockImplementationOnce(outcome);
    await t.settlement.refundOrderPayment('o1', 'buyer');
    expect(t.repo.status('p1')).toBe('completed');
    expect(t.orders.applied).toEqual([]);
    expect(t.notifier.kicks).toBe(0);
    // the next attempt refunds it
    await t.settlement.refundOrderPayment('o1', null);
    expect(t.repo.status('p1')).toBe('refunded');
    expect(t.provider.refund).toHaveBeenCalledTimes(2);
  });

  it('closes pending payments of a cancelled order (nothing collected, nothing refunded)', async () => {
    const t = make();
    t.repo.add({ id: 'k1', orderId: 'o1', status: 'pending', paymentMethod: 'kaspi' });
    await t.settlement.refundOrderPayment('o1', 'buyer');
    expect(t.repo.rows.get('k1')).toMatchObject({
      status: 'failed',
      failureReason: 'order_cancelled',
    });
    expect(t.provider.refund).not.toHaveBeenCalled();
    expect(t.orders.applied).toEqual([['o1', 'failed', 'buyer']]);
  });

  it('a pending cash-on-delivery payment completes at delivery; other methods do not', async () => {
    const t = make();
    t.repo.add({ id: 'k1', orderId: 'o1', status: 'pending', paymentMethod: 'kaspi' });
    await t.settlement.completeCashOnDelivery('o1', 'sA');
    expect(t.repo.status('k1')).toBe('pending');
    t.repo.add({ id: 'c1', orderId: 'o2', status: 'pending', paymentMethod: 'cash_on_delivery' });
    await t.settlement.completeCashOnDelivery('o2', 'sA');
    expect(t.repo.status('c1')).toBe('completed');
    expect(t.orders.applied).toEqual([['o2', 'completed', 'sA']]);
  });
});
