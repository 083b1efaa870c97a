import { DataSource } from 'typeorm';

import { Payment } from '../../../src/modules/payments/payment.entity';
import type { RefundResult } from '../../../src/modules/payments/payment-provider';
import { PaymentProvider } from '../../../src/modules/payments/payment-provider';
import { createTestApp, TestApp } from '../../create-test-app';
import { customerWithOrder, pay } from '../../factories/payments';
import { Actor, makeUser } from '../../factories/users';
import { sleep } from '../../support/server-process';

/**
 * The payment provider hangs or fails: every request still answers in bounded time with a clear
 * status, and no money is lost — a charge nobody waited for is not kept, and a refund the
 * provider could not make at cancel time is made once it answers again.
 */
export function providerFaultSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`faults: the payment provider (${backend})`, () => {
    let t: TestApp;
    let provider: PaymentProvider;
    let seller: Actor;

    const timed = async <T>(work: () => PromiseLike<T>) => {
      const started = Date.now();
      const result = await work();
      return { result, ms: Date.now() - started };
    };
    const paymentsOf = (ds: DataSource, orderId: string) =>
      ds.getRepository(Payment).find({ where: { orderId }, order: { createdAt: 'ASC' } });

    beforeAll(async () => {
      t = await createTestApp({ PAYMENT_TIMEOUT_MS: '500' });
      expect(t.ds.options.type).toBe(backend === 'postgres' ? 'postgres' : 'better-sqlite3');
      provider = t.app.get(PaymentProvider);
      seller = await makeUser(t.http, 'seller');
    });

    afterAll(async () => {
      await t?.close();
    });

    afterEach(() => jest.restoreAllMocks());

    it('a charge that never answers → 504 in bounded time; the order is paid once afterwards', async () => {
      const { customer, order } = await customerWithOrder(t.http, t.ds, seller.id);
      jest.spyOn(provider, 'charge').mockReturnValueOnce(new Promise(() => undefined));
      const res = await timed(() => pay(t.http, customer, order.id, 'card'));
      expect(res.result.status).toBe(504);
      expect(res.result.body.code).toBe('PAYMENT_PROVIDER_TIMEOUT');
      expect(res.ms).toBeLessThan(5000);
      expect((await paymentsOf(t.ds, order.id)).map((p) => p.status)).toEqual(['failed']);
      const again = await pay(t.http, customer, order.id, 'card');
      expect(again.status).toBe(201);
      expect((await paymentsOf(t.ds, order.id)).map((p) => p.status)).toEqual([
        'failed',
        'completed',
      ]);
    });

    it('a provider that is down → 502 at once; nothing charged; the retry pays', async () => {
      const { customer, order } = await customerWithOrder(t.http, t.ds, seller.id);
      jest.spyOn(provider, 'charge').mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
      const res = await pay(t.http, customer, order.id, 'card');
      expect(res.status).toBe(502);
      expect(res.body.code).toBe('PAYMENT_PROVIDER_ERROR');
      expect((await pay(t.http, customer, order.id, 'card')).status).toBe(201);
    });

    it.each(['hangs', 'fails'] as const)(
      'a refund that %s at cancel time: the cancel answers in bounded time, the money is returned once the provider is back',
      async (mode) => {
        const { customer, order } = await customerWithOrder(t.http, t.ds, seller.id);
        expect((await pay(t.http, customer, order.id, 'card')).body.status).toBe('completed');
        const refund = jest.spyOn(provider, 'refund');
        refund.mockImplementationOnce(() =>
          mode === 'hangs'
            ? new Promise<RefundResult>(() => undefined)
            : Promise.reject(new Error('provider unavailable')),
        );
        const cancel = await timed(() =>
          t.http.put(`/api/v1/orders/${order.id}/cancel`).set(customer.auth),
        );
        expect(cancel.result.status).toBe(200);
        expect(cancel.result.body.status).toBe('cancelled');
        expect(cancel.ms).toBeLessThan(5000);

        // the provider answers again: the completed payment of the cancelled order must not stay
        let status = '';
        for (let i = 0; i < 100 && status !== 'refunded'; i++) {
          status = (await paymentsOf(t.ds, order.id))[0].status;
          if (status !== 'refunded') await sleep(100);
        }
        expect(status).toBe('refunded');
        expect(refund.mock.calls.length).toBeGreaterThanOrEqual(2);
      },
    );
  });
}
