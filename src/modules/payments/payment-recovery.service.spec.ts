import type { ChargeResult } from './payment-provider';
import { PaymentRecovery } from './payment-recovery.service';
import { fakePayments } from './payments.fakes';

function make() {
  const provider = {
    lookup: jest.fn(async (): Promise<ChargeResult | null> => null),
    refund: jest.fn(async () => ({ status: 'refunded' as const })),
  };
  const t = fakePayments(provider);
  const closed: string[] = [];
  const orders = Object.assign(t.orders, {
    closedWithCompletedPayment: jest.fn(async () => [...closed]),
  });
  const recovery = new PaymentRecovery(
    t.repo as any,
    t.settlement,
    orders as any,
    provider as any,
    t.config,
    { retryOpen: jest.fn(async () => 0) } as any,
  );
  for (const logger of [recovery['logger'], t.settlement['logger']]) {
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  }
  return { ...t, provider, closed, recovery };
}

describe('PaymentRecovery', () => {
  it('closes a payment a crash left processing: from the provider’s record, else interrupted', async () => {
    const t = make();
    const old = new Date(Date.now() - 60_000);
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'processing', updatedAt: old });
    t.repo.add({ id: 'p2', orderId: 'o2', status: 'processing', updatedAt: old });
    t.repo.add({ id: 'p3', orderId: 'o3', status: 'processing', updatedAt: new Date() });
    t.provider.lookup.mockImplementation(async () => null);
    t.provider.lookup.mockImplementationOnce(async () => ({
      status: 'completed',
      transaction_id: 'demo_9',
    }));
    await t.recovery.sweep();
    expect(t.repo.rows.get('p1')).toMatchObject({ status: 'completed', transactionId: 'demo_9' });
    expect(t.repo.rows.get('p2')).toMatchObject({ status: 'failed', failureReason: 'interrupted' });
    expect(t.repo.status('p3')).toBe('processing'); // a request may still wait for it
  });

  it('refunds the completed payment of a closed order; orders marked paid but holding none are skipped', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'completed' });
    t.repo.add({ id: 'p2', orderId: 'o2', status: 'refunded' });
    t.repo.add({ id: 'p3', orderId: 'o3', status: 'completed' }); // a live order: not named
    t.closed.push('o1', 'o2');
    await t.recovery.sweep();
    expect(t.repo.status('p1')).toBe('refunded');
    expect(t.repo.status('p3')).toBe('completed');
    expect(t.provider.refund).toHaveBeenCalledTimes(1);
  });

  it('a refund that keeps failing is retried with backoff, not on every pass', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: 'o1', status: 'completed' });
    t.closed.push('o1');
    t.provider.refund.mockRejectedValue(new Error('acquirer down'));
    await t.recovery.sweep();
    await t.recovery.sweep();
    expect(t.provider.refund).toHaveBeenCalledTimes(1);
    expect(t.repo.status('p1')).toBe('completed');
  });
});
