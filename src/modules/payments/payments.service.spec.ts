import { DomainError } from '../../common/errors/domain-error';
import { codeOf, testActor } from '../../testing/unit-helpers';
import type { ChargeResult } from './payment-provider';
import { fakePayments } from './payments.fakes';
import { PaymentsService } from './payments.service';

const buyer = testActor('buyer', 'customer');
const admin = testActor('admin', 'admin');
const stranger = testActor('stranger', 'customer');
const ORDER = '00000000-0000-4000-8000-000000000001';

function make() {
  const provider = {
    name: 'demo',
    charge: jest.fn(async (): Promise<ChargeResult> => ({
      status: 'completed',
      transaction_id: 'demo_1',
    })),
    refund: jest.fn(async () => ({ status: 'refunded' as const })),
  };
  const { uow, repo, orders, notifier, config, settlement } = fakePayments(provider);
  const svc = new PaymentsService(
    repo as any,
    uow.asUnitOfWork(),
    orders as any,
    provider as any,
    settlement,
    config,
  );
  for (const logger of [svc['logger'], settlement['logger']]) {
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  }
  const only = () => [...repo.rows.values()];
  return { svc, uow, repo, orders, provider, notifier, only };
}

const pay = (t: ReturnType<typeof make>, extra: object = {}) =>
  t.svc.create(buyer, { order_id: ORDER, payment_method: 'card', ...extra });

describe('PaymentsService', () => {
  it('charges the order’s total (never a client amount) and completes', async () => {
    const t = make();
    const res = await pay(t);
    expect(res).toMatchObject({ status: 'completed', amount: 5000, transaction_id: 'demo_1' });
    expect(t.provider.charge).toHaveBeenCalledWith(
      expect.objectContaining({ orderId: ORDER, amount: 5000_00, currency: 'KZT', method: 'card' }),
    );
    expect(t.orders.applied.map(([, s]) => s)).toEqual(['processing', 'completed']);
  });

  it('a declined card → 201 failed with the reason; the order stays payable', async () => {
    const t = make();
    t.provider.charge.mockResolvedValueOnce({
      status: 'failed',
      transaction_id: 'demo_2',
      failure_reason: 'card_declined',
    });
    const res = await pay(t);
    expect(res).toMatchObject({ status: 'failed', failure_reason: 'card_declined' });
    expect(t.orders.applied.map(([, s]) => s)).toEqual(['processing', 'failed']);
    expect(await codeOf(pay(t))).toBe('ok'); // a failed payment does not block a new one
  });

  it('a provider failure → 502, the payment failed as provider_error, nothing charged', async () => {
    const t = make();
    t.provider.charge.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    const e = (await pay(t).catch((x) => x)) as DomainError;
    expect(e.code).toBe('PAYMENT_PROVIDER_ERROR');
    expect(t.only()).toMatchObject([{ status: 'failed', failureReason: 'provider_error' }]);
    expect((e.details as { payment_id: string }).payment_id).toBe(t.only()[0].id);
  });

  it('a provider timeout → 504, failed as provider_timeout; a late completed charge is refunded', async () => {
    const t = make();
    let answer!: (r: ChargeResult) => void;
    t.provider.charge.mockReturnValueOnce(new Promise((r) => (answer = r)));
    expect(await codeOf(pay(t))).toBe('PAYMENT_PROVIDER_TIMEOUT');
    expect(t.only()).toMatchObject([{ status: 'failed', failureReason: 'provider_timeout' }]);
    answer({ status: 'completed', transaction_id: 'late_1' });
    await new Promise((r) => setImmediate(r));
    expect(t.provider.refund).toHaveBeenCalledWith(
      expect.objectContaining({ transactionId: 'late_1', amount: 5000_00 }),
    );
    expect(t.only()[0].status).toBe('failed');
  });

  it('a provider reusing a transaction id we hold → 502, the payment failed', async () => {
    const t = make();
    const unique = Object.assign(new Error('duplicate'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const move = t.repo.move.bind(t.repo);
    jest
      .spyOn(t.repo, 'move')
      .mockImplementationOnce(() => Promise.reject(unique))
      .mockImplementation(move);
    expect(await codeOf(pay(t))).toBe('PAYMENT_PROVIDER_ERROR');
    expect(t.only()).toMatchObject([{ status: 'failed', failureReason: 'provider_error' }]);
  });

  it('a live payment → 409 PAYMENT_EXISTS, also when the insert loses the race', async () => {
    const t = make();
    t.repo.add({ id: 'p0', orderId: ORDER, status: 'pending' });
    expect(await codeOf(pay(t))).toBe('PAYMENT_EXISTS');
    const u = make();
    u.repo.failNextInsert = Object.assign(new Error('dup'), { code: '23505' });
    expect(await codeOf(pay(u))).toBe('PAYMENT_EXISTS');
    expect(u.provider.charge).not.toHaveBeenCalled();
  });

  it('the order’s 404/409 (not yours, not payable) comes from the orders side; card_token only for cards', async () => {
    const t = make();
    jest.spyOn(t.orders, 'findPayable').mockRejectedValueOnce(new DomainError('NOT_FOUND', 'x'));
    expect(await codeOf(pay(t))).toBe('NOT_FOUND');
    expect(
      await codeOf(
        t.svc.create(buyer, { order_id: ORDER, payment_method: 'kaspi', card_token: 'tok_1' }),
      ),
    ).toBe('BAD_REQUEST');
    expect(t.provider.charge).not.toHaveBeenCalled();
  });

  it('GET /payments/{id}: the payer and admins; anyone else → 404', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: ORDER, status: 'completed', userId: 'buyer' });
    expect((await t.svc.get(buyer, 'p1')).id).toBe('p1');
    expect((await t.svc.get(admin, 'p1')).id).toBe('p1');
    expect(await codeOf(t.svc.get(stranger, 'p1'))).toBe('NOT_FOUND');
    expect(await codeOf(t.svc.get(admin, 'nope'))).toBe('NOT_FOUND');
  });

  it('GET /payments/order/{id}: asks the orders side who may see the order', async () => {
    const t = make();
    t.repo.add({ id: 'p1', orderId: ORDER, status: 'failed' });
    t.repo.add({ id: 'p2', orderId: ORDER, status: 'completed' });
    const visible = jest.spyOn(t.orders, 'findVisible');
    expect((await t.svc.listForOrder(buyer, ORDER)).map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(visible).toHaveBeenCalledWith(undefined, buyer, ORDER);
  });
});
