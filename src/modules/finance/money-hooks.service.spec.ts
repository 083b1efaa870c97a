import { loadConfig } from '../../config/app-config';
import type { LedgerParcel } from '../orders/order-money.service';
import { MoneyHooks } from './money-hooks.service';

const DAY = 86_400_000;
const DELIVERED_AT = new Date('2026-11-20T10:00:00Z');
const tx = { handle: 'tx' };

const parcel = (over: Partial<LedgerParcel> = {}): LedgerParcel => ({
  fulfillmentId: 'f1',
  orderId: 'o1',
  sellerId: 's1',
  status: 'delivered',
  itemsTotal: 10_000,
  deliveryCost: 1500,
  commission: 1000,
  movedAt: DELIVERED_AT,
  paymentStatus: 'completed',
  ...over,
});

function build(parcels: LedgerParcel[], booked: Record<string, number> = {}) {
  const ledger = { recordOnce: jest.fn(async (_tx: unknown, es: unknown[]) => es) };
  const entries = { sumsOfFulfillment: jest.fn(async () => booked) };
  const orders = {
    parcelsOf: jest.fn(async () => parcels),
    lineCommissions: jest.fn(async () => [
      { orderItemId: 'i1', orderId: 'o1', sellerId: 's1', quantity: 3, commission: 1000 },
      { orderItemId: 'i2', orderId: 'o1', sellerId: 's2', quantity: 1, commission: 50 },
    ]),
  };
  const hooks = new MoneyHooks(
    ledger as any,
    entries as any,
    orders as any,
    loadConfig({ NODE_ENV: 'test', PAYOUT_HOLD: '14d' }),
  );
  const written = () => ledger.recordOnce.mock.calls.flatMap((c) => c[1]);
  return { hooks, ledger, entries, orders, written };
}

const moved = (from: string, to: string, fulfillmentId = 'f1') => ({
  em: tx as any,
  orderId: 'o1',
  orderStatus: to,
  moves: [{ fulfillmentId, sellerId: 's1', from, to, total: 0 }],
  at: new Date(),
});

describe('MoneyHooks', () => {
  it('books sale and commission of a delivered, paid parcel, held from the delivery', async () => {
    const t = build([parcel()]);
    await t.hooks.onMoved(moved('shipped', 'delivered'));
    expect(t.ledger.recordOnce.mock.calls[0][0]).toBe(tx);
    const availableAt = new Date(DELIVERED_AT.getTime() + 14 * DAY);
    expect(t.written()).toEqual([
      {
        sellerId: 's1',
        orderId: 'o1',
        fulfillmentId: 'f1',
        type: 'sale',
        amount: 11_500,
        availableAt,
      },
      {
        sellerId: 's1',
        orderId: 'o1',
        fulfillmentId: 'f1',
        type: 'commission',
        amount: -1000,
        availableAt,
      },
    ]);
  });

  it('books nothing for a delivered parcel whose payment is not completed, nor for other moves', async () => {
    const t = build([parcel({ paymentStatus: 'pending' })]);
    await t.hooks.onMoved(moved('shipped', 'delivered'));
    expect(t.written()).toEqual([]);
    await t.hooks.onMoved(moved('processing', 'shipped'));
    expect(t.orders.parcelsOf).toHaveBeenCalledTimes(1);
  });

  it('a parcel of an order partly refunded already (another parcel, a return) is still booked', async () => {
    const t = build([parcel({ paymentStatus: 'partially_refunded' })]);
    await t.hooks.onMoved(moved('shipped', 'delivered'));
    expect(t.written().map((e: any) => e.type)).toEqual(['sale', 'commission']);
  });

  it('a completed payment books the parcels delivered before it; other outcomes nothing', async () => {
    const t = build([
      parcel(),
      parcel({ fulfillmentId: 'f2', sellerId: 's2', status: 'shipped', commission: 0 }),
    ]);
    await t.hooks.onPayment({ em: tx as any, orderId: 'o1', paymentStatus: 'failed' });
    expect(t.orders.parcelsOf).not.toHaveBeenCalled();
    await t.hooks.onPayment({ em: tx as any, orderId: 'o1', paymentStatus: 'completed' });
    expect(t.written().map((e: any) => [e.fulfillmentId, e.type])).toEqual([
      ['f1', 'sale'],
      ['f1', 'commission'],
    ]);
  });

  it('a delivered parcel moved to refunded takes back what its sale and commission still hold', async () => {
    const t = build([parcel({ status: 'refunded' })], {
      sale: 11_500,
      commission: -1000,
      refund: -2000,
      commission_reversal: 333,
    });
    await t.hooks.onMoved(moved('delivered', 'refunded'));
    expect(t.written().map((e: any) => [e.type, e.amount])).toEqual([
      ['refund', -9500],
      ['commission_reversal', 667],
    ]);
  });

  it('a return reverses the commission pro rata of the units back, and refuses another seller’s line', async () => {
    const t = build([]);
    const r = {
      sellerId: 's1',
      orderId: 'o1',
      fulfillmentId: 'f1',
      returnId: 'r1',
      amount: 2000,
      delivery: 0,
      lines: [{ orderItemId: 'i1', quantity: 1, returnedBefore: 1 }],
    };
    await t.hooks.recordReturnRefund(tx as any, r);
    expect(t.written()).toEqual([
      {
        sellerId: 's1',
        orderId: 'o1',
        fulfillmentId: 'f1',
        returnId: 'r1',
        type: 'refund',
        amount: -2000,
      },
      {
        sellerId: 's1',
        orderId: 'o1',
        fulfillmentId: 'f1',
        returnId: 'r1',
        type: 'commission_reversal',
        amount: 334,
      },
    ]);
    await expect(
      t.hooks.recordReturnRefund(tx as any, { ...r, lines: [{ orderItemId: 'i2', quantity: 1 }] }),
    ).rejects.toThrow(/not the seller/);
  });
});
