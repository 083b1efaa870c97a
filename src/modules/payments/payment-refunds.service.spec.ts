import { Metrics } from '../../observability/metrics';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { Payment } from './payment.entity';
import { PaymentMetrics } from './payment-metrics';
import type { PaymentRefund } from './payment-refund.entity';
import type { RefundSet } from './payment-refunds.repository';
import { PaymentRefundsService } from './payment-refunds.service';

const payment = (o: Partial<Payment> = {}): Payment => ({
  id: 'pay-1',
  orderId: 'order-1',
  userId: 'u',
  amount: 5000_00,
  paymentMethod: 'card',
  status: 'completed',
  transactionId: 'tx-1',
  provider: 'demo',
  failureReason: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...o,
});

/** The refunds table and payments as two arrays, with the repository methods the service calls. */
function build(p: Payment | null, refundImpl = () => Promise.resolve({ status: 'refunded' })) {
  const rows: PaymentRefund[] = [];
  const refunds = {
    byReference: (ref: string) => Promise.resolve(rows.find((r) => r.reference === ref) ?? null),
    insert: (_tx: unknown, r: PaymentRefund) => {
      rows.push({ ...r, createdAt: new Date(), updatedAt: new Date() });
      return Promise.resolve();
    },
    totalOf: (_tx: unknown, id: string, statuses: string[], except?: string) =>
      Promise.resolve(
        rows
          .filter(
            (r) => r.paymentId === id && statuses.includes(r.status) && r.reference !== except,
          )
          .reduce((s, r) => s + r.amount, 0),
      ),
    totalOfParcel: (_tx: unknown, fulfillmentId: string) =>
      Promise.resolve(
        rows.filter((r) => r.fulfillmentId === fulfillmentId).reduce((s, r) => s + r.amount, 0),
      ),
    move: (_tx: unknown, id: string, from: string[], set: RefundSet) => {
      const r = rows.find((x) => x.id === id && from.includes(x.status));
      if (r) Object.assign(r, set);
      return Promise.resolve(!!r);
    },
  };
  const payments = {
    oneOfOrder: () => Promise.resolve(p),
    byId: () => Promise.resolve(p),
    move: jest.fn(() => Promise.resolve(true)),
  };
  const orders = { applyRefundStatus: jest.fn(() => Promise.resolve()) };
  const provider = { refund: jest.fn(refundImpl) };
  const config = { payments: { timeoutMs: 1000 } };
  const service = new PaymentRefundsService(
    refunds as any,
    payments as any,
    orders as any,
    provider as any,
    new FakeUnitOfWork().asUnitOfWork(),
    config as any,
    new PaymentMetrics(new Metrics()),
  );
  return { service, rows, provider, orders, payments };
}

const req = (reference: string, amount = 1000_00) => ({ orderId: 'order-1', amount, reference });

describe('PaymentRefundsService', () => {
  it('refunds the amount through the provider once per reference', async () => {
    const { service, provider, rows } = build(payment());
    expect(await service.refund(req('r1'))).toEqual({ status: 'completed' });
    expect(await service.refund(req('r1'))).toEqual({ status: 'completed' });
    expect(provider.refund).toHaveBeenCalledTimes(1);
    expect(provider.refund).toHaveBeenCalledWith(
      expect.objectContaining({ transactionId: 'tx-1', amount: 1000_00, reference: 'r1' }),
    );
    expect(rows.map((r) => [r.reference, r.status, r.attempts])).toEqual([['r1', 'completed', 1]]);
  });

  it('a failed refund is failed, and asked again (same reference) on the retry', async () => {
    let n = 0;
    const { service, provider, rows } = build(payment(), () =>
      ++n === 1 ? Promise.reject(new Error('down')) : Promise.resolve({ status: 'refunded' }),
    );
    expect(await service.refund(req('r1'))).toMatchObject({
      status: 'failed',
      failureReason: 'down',
    });
    expect(rows[0].status).toBe('failed');
    expect(await service.refund(req('r1'))).toEqual({ status: 'completed' });
    expect(provider.refund).toHaveBeenCalledTimes(2);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('cash on delivery (or nothing captured) → manual, without the provider', async () => {
    for (const p of [payment({ paymentMethod: 'cash_on_delivery' }), null]) {
      const { service, provider, rows } = build(p);
      expect(await service.refund(req('r1'))).toEqual({ status: 'manual' });
      expect(provider.refund).not.toHaveBeenCalled();
      expect(rows[0].status).toBe('manual');
    }
  });

  it('more than is left of the payment → failed, nothing asked', async () => {
    const { service, provider } = build(payment({ amount: 1500_00 }));
    await service.refund(req('r1', 1000_00));
    expect((await service.refund(req('r2', 600_00))).status).toBe('failed');
    expect(provider.refund).toHaveBeenCalledTimes(1);
  });

  it('markRefunded: partially_refunded until the refunds reach the amount, then refunded', async () => {
    const { service, orders, payments } = build(payment({ amount: 3000_00 }));
    const tx = { fake: 'tx' } as any;
    await service.refund(req('r1', 1000_00));
    await service.markRefunded(tx, req('r1', 1000_00));
    expect(orders.applyRefundStatus).toHaveBeenLastCalledWith(tx, 'order-1', 'partially_refunded');
    expect(payments.move).not.toHaveBeenCalled();
    await service.refund(req('r2', 2000_00));
    await service.markRefunded(tx, req('r2', 2000_00));
    expect(orders.applyRefundStatus).toHaveBeenLastCalledWith(tx, 'order-1', 'refunded');
    expect(payments.move).toHaveBeenCalledWith(tx, 'pay-1', ['completed'], { status: 'refunded' });
  });

  it('markRefunded of a manual refund records it paid', async () => {
    const { service, rows, orders } = build(
      payment({ paymentMethod: 'cash_on_delivery', amount: 1000_00 }),
    );
    const tx = { fake: 'tx' } as any;
    await service.refund(req('r1'));
    await service.markRefunded(tx, req('r1'));
    expect(rows[0].status).toBe('paid');
    expect(orders.applyRefundStatus).toHaveBeenCalledWith(tx, 'order-1', 'refunded');
  });

  describe('parcel refunds', () => {
    it('owes each parcel its total less its refunds so far, never more than the payment has left', async () => {
      const { service, rows } = build(payment({ amount: 5000_00 }));
      // a return of parcel f1 gave 500 ₸ back already; another refund took 1 000 ₸ of the payment
      rows.push({ ...(await owedRow(service, 'f0', 1000_00)) });
      await service.refund({ ...req('ret-1', 500_00), fulfillmentId: 'f1' });
      const owed = await service.oweParcels({} as any, 'order-1', [
        { fulfillmentId: 'f1', total: 2000_00 },
        { fulfillmentId: 'f2', total: 3000_00 },
      ]);
      // f1: 2 000 − 500 = 1 500; f2: only 5 000 − 1 000 − 500 − 1 500 = 2 000 left of the payment
      expect(owed.map((o) => [o.reference, o.amount])).toEqual([
        ['f1', 1500_00],
        ['f2', 2000_00],
      ]);
      expect(rows.filter((r) => r.kind === 'parcel').map((r) => [r.reference, r.status])).toEqual([
        ['f0', 'completed'],
        ['f1', 'pending'],
        ['f2', 'pending'],
      ]);
    });

    it('nothing without a captured payment; cash on delivery is manual', async () => {
      const none = build(null);
      expect(
        await none.service.oweParcels({} as any, 'order-1', [{ fulfillmentId: 'f1', total: 1 }]),
      ).toEqual([]);
      expect(none.rows).toEqual([]);
      const cod = build(payment({ paymentMethod: 'cash_on_delivery' }));
      expect(
        await cod.service.oweParcels({} as any, 'order-1', [{ fulfillmentId: 'f1', total: 100 }]),
      ).toEqual([]);
      expect(cod.rows.map((r) => [r.kind, r.status, r.amount])).toEqual([
        ['parcel', 'manual', 100],
      ]);
    });

    it('an owed parcel refund, once paid, books the order’s payment status in the same step', async () => {
      const { service, rows, orders, provider } = build(payment());
      const [owed] = await service.oweParcels({} as any, 'order-1', [
        { fulfillmentId: 'f1', total: 700_00 },
      ]);
      const seen = { status: 'pending' as const, attempts: 0 };
      expect(await service.refund({ ...owed, seen })).toEqual({ status: 'completed' });
      expect(rows[0]).toMatchObject({ status: 'completed', attempts: 1 });
      expect(orders.applyRefundStatus.mock.calls.map((c: unknown[]) => c.slice(1))).toEqual([
        ['order-1', 'partially_refunded'],
      ]);
      // a sweep that saw the row before it was paid asks nothing
      expect((await service.refund({ ...owed, seen })).status).toBe('failed');
      expect(provider.refund).toHaveBeenCalledTimes(1);
    });
  });
});

/** A parcel refund row of the payment (as oweParcels writes it). */
async function owedRow(service: PaymentRefundsService, fulfillmentId: string, amount: number) {
  void service;
  return {
    id: `row-${fulfillmentId}`,
    reference: fulfillmentId,
    paymentId: 'pay-1',
    orderId: 'order-1',
    fulfillmentId,
    kind: 'parcel' as const,
    amount,
    status: 'completed' as const,
    providerRefundId: null,
    failureReason: null,
    attempts: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}
