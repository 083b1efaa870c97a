import { OutboxMail } from '../../src/modules/email/outbox-mail.entity';
import { Fulfillment, Order, OrderStatusHistory } from '../../src/modules/orders/order.entity';
import { Payment } from '../../src/modules/payments/payment.entity';
import type { ChargeResult } from '../../src/modules/payments/payment-provider';
import { PaymentProvider } from '../../src/modules/payments/payment-provider';
import { createTestApp, TestApp } from '../create-test-app';
import { customerWithOrder, pay, PAYMENTS } from '../factories/payments';
import { Actor, makeUser } from '../factories/users';

const DECLINED = '4000000000000002';
const PROVIDER_ERROR = '4000000000000119';

describe('payments: create, read, races, failures (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  let admin: Actor;
  let provider: PaymentProvider;

  beforeAll(async () => {
    t = await createTestApp({ PAYMENT_TIMEOUT_MS: '300' });
    seller = await makeUser(t.http, 'seller');
    admin = await makeUser(t.http, 'admin');
    provider = t.app.get(PaymentProvider);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  const newOrder = () => customerWithOrder(t.http, t.ds, seller.id);
  const paymentsOf = (orderId: string) =>
    t.ds.getRepository(Payment).find({ where: { orderId }, order: { createdAt: 'ASC' } });
  const orderRow = (id: string) => t.ds.getRepository(Order).findOneByOrFail({ id });

  describe('POST /payments', () => {
    it('requires a token', async () => {
      const { order } = await newOrder();
      const res = await t.http.post(PAYMENTS).send({ order_id: order.id, payment_method: 'card' });
      expect(res.status).toBe(401);
    });

    it('invalid bodies (a client-sent amount included) → 400 and nothing is made', async () => {
      const { customer, order } = await newOrder();
      for (const body of [
        {},
        { order_id: order.id },
        { payment_method: 'card' },
        { order_id: 'not-a-uuid', payment_method: 'card' },
        { order_id: order.id, payment_method: 'bitcoin' },
        { order_id: order.id, payment_method: 'card', amount: 1 },
        { order_id: order.id, payment_method: 'card', card_token: 'has spaces' },
        { order_id: order.id, payment_method: 'card', card_token: 12 },
        { order_id: order.id, payment_method: 'kaspi', card_token: 'tok_1' },
      ]) {
        const res = await t.http.post(PAYMENTS).set(customer.auth).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expect(await paymentsOf(order.id)).toHaveLength(0);
      expect((await orderRow(order.id)).paymentStatus).toBeNull();
    });

    it('an unknown order, or another user’s (even for an admin) → 404', async () => {
      const { order } = await newOrder();
      const other = await makeUser(t.http, 'customer');
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await pay(t.http, other, unknown)).status).toBe(404);
      expect((await pay(t.http, other, order.id)).status).toBe(404);
      expect((await pay(t.http, admin, order.id)).status).toBe(404);
      expect(await paymentsOf(order.id)).toHaveLength(0);
    });

    it('card: 201 completed for the order total; pending parcels confirmed, history, mail', async () => {
      const { customer, order } = await newOrder();
      expect(order.total_amount).toBe(1234.5 * 2 + 1500);
      const charge = jest.spyOn(provider, 'charge');
      const res = await pay(t.http, customer, order.id, 'card');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        order_id: order.id,
        amount: 3969,
        payment_method: 'card',
        status: 'completed',
        transaction_id: expect.stringMatching(/^demo_card_/),
        failure_reason: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(charge).toHaveBeenCalledTimes(1);
      expect(charge.mock.calls[0][0]).toMatchObject({ amount: 396900, method: 'card' });

      const o = (await t.http.get(`/api/v1/orders/${order.id}`).set(customer.auth)).body;
      expect(o.status).toBe('confirmed');
      expect(o.payment_status).toBe('completed');
      expect(o.fulfillments.map((f: { status: string }) => f.status)).toEqual(['confirmed']);
      expect(o.status_history).toContainEqual(
        expect.objectContaining({
          status: 'confirmed',
          seller_id: seller.id,
          changed_by: customer.id,
        }),
      );
      const mails = await t.ds
        .getRepository(OutboxMail)
        .findBy({ toAddress: customer.email, kind: 'payment_completed' });
      expect(mails).toHaveLength(1);
      expect(mails[0].textBody).toContain('3\u00a0969');

      const again = await pay(t.http, customer, order.id, 'kaspi');
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PAYMENT_EXISTS');
      expect(charge).toHaveBeenCalledTimes(1);
    });

    it('a pending payment blocks a second one (409); a cancelled order → 409', async () => {
      const { customer, order } = await newOrder();
      const first = await pay(t.http, customer, order.id, 'kaspi');
      expect(first.status).toBe(201);
      expect(first.body.status).toBe('pending');
      const second = await pay(t.http, customer, order.id, 'card');
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('PAYMENT_EXISTS');

      const { customer: c2, order: o2 } = await newOrder();
      expect((await t.http.put(`/api/v1/orders/${o2.id}/cancel`).set(c2.auth)).status).toBe(200);
      const res = await pay(t.http, c2, o2.id, 'card');
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ORDER_NOT_PAYABLE');
      expect(await paymentsOf(o2.id)).toHaveLength(0);
    });

    it('the demo test card is declined: 201 failed, the order stays payable', async () => {
      const { customer, order } = await newOrder();
      const declined = await pay(t.http, customer, order.id, 'card', { card_token: DECLINED });
      expect(declined.status).toBe(201);
      expect(declined.body).toMatchObject({ status: 'failed', failure_reason: 'card_declined' });
      let o = await orderRow(order.id);
      expect(o.paymentStatus).toBe('failed');
      expect(o.status).toBe('pending');
      expect(
        await t.ds.getRepository(Fulfillment).countBy({ orderId: order.id, status: 'pending' }),
      ).toBe(1);

      const ok = await pay(t.http, customer, order.id, 'card', { card_token: 'tok_visa' });
      expect(ok.status).toBe(201);
      expect(ok.body.status).toBe('completed');
      o = await orderRow(order.id);
      expect(o.paymentStatus).toBe('completed');
      expect(o.status).toBe('confirmed');
      const list = await t.http.get(`${PAYMENTS}/order/${order.id}`).set(customer.auth);
      expect(list.body.map((p: { status: string }) => p.status)).toEqual(['failed', 'completed']);
    });

    it('the provider failing → 502, the payment is failed, a retry works', async () => {
      const { customer, order } = await newOrder();
      const res = await pay(t.http, customer, order.id, 'card', { card_token: PROVIDER_ERROR });
      expect(res.status).toBe(502);
      expect(res.body.code).toBe('PAYMENT_PROVIDER_ERROR');
      const [p] = await paymentsOf(order.id);
      expect(p).toMatchObject({
        id: res.body.payment_id,
        status: 'failed',
        failureReason: 'provider_error',
      });
      expect((await orderRow(order.id)).paymentStatus).toBe('failed');
      const retry = await pay(t.http, customer, order.id, 'card');
      expect(retry.status).toBe(201);
      expect(retry.body.status).toBe('completed');
    });

    it('a provider answering with a transaction id already in use → 502, nothing half-made', async () => {
      const { customer: c1, order: o1 } = await newOrder();
      const first = (await pay(t.http, c1, o1.id, 'card')).body;
      const { customer, order } = await newOrder();
      jest
        .spyOn(provider, 'charge')
        .mockResolvedValueOnce({ status: 'completed', transaction_id: first.transaction_id });
      const res = await pay(t.http, customer, order.id, 'card');
      expect(res.status).toBe(502);
      const [p] = await paymentsOf(order.id);
      expect(p).toMatchObject({ status: 'failed', failureReason: 'provider_error' });
      const o = await orderRow(order.id);
      expect([o.status, o.paymentStatus]).toEqual(['pending', 'failed']);
      expect((await pay(t.http, customer, order.id, 'card')).status).toBe(201);
    });

    it('a provider timeout → 504, payment failed; the same key retries once; a late charge is refunded', async () => {
      const { customer, order } = await newOrder();
      let answer!: (r: ChargeResult) => void;
      const hanging = new Promise<ChargeResult>((resolve) => (answer = resolve));
      const charge = jest.spyOn(provider, 'charge').mockReturnValueOnce(hanging);
      const refund = jest.spyOn(provider, 'refund');
      const res = await pay(t.http, customer, order.id, 'card', {}, 'key-timeout-1');
      expect(res.status).toBe(504);
      expect(res.body.code).toBe('PAYMENT_PROVIDER_TIMEOUT');
      const [p] = await paymentsOf(order.id);
      expect(p).toMatchObject({ status: 'failed', failureReason: 'provider_timeout' });
      const o = await orderRow(order.id);
      expect(o.paymentStatus).toBe('failed');
      expect(o.status).toBe('pending');

      const retry = await pay(t.http, customer, order.id, 'card', {}, 'key-timeout-1');
      expect(retry.status).toBe(201);
      expect(retry.body.status).toBe('completed');
      expect(charge).toHaveBeenCalledTimes(2);
      const replay = await pay(t.http, customer, order.id, 'card', {}, 'key-timeout-1');
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(retry.body);
      expect(charge).toHaveBeenCalledTimes(2);

      // The first charge answers after all: it went through, so it is given back.
      answer({ status: 'completed', transaction_id: 'late_txn_1' });
      for (let i = 0; i < 100 && !refund.mock.calls.length; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(refund).toHaveBeenCalledTimes(1);
      expect(refund.mock.calls[0][0]).toMatchObject({
        transactionId: 'late_txn_1',
        amount: 396900,
      });
      expect((await orderRow(order.id)).paymentStatus).toBe('completed');
    });

    it('4 racing payments for one order → exactly one charge, one 201, three 409', async () => {
      for (const method of ['card', 'kaspi'] as const) {
        const { customer, order } = await newOrder();
        const charge = jest.spyOn(provider, 'charge');
        const results = await Promise.all(
          [0, 1, 2, 3].map(() => pay(t.http, customer, order.id, method)),
        );
        const statuses = results.map((r) => r.status).sort();
        expect(statuses).toEqual([201, 409, 409, 409]);
        expect(charge).toHaveBeenCalledTimes(1);
        expect(await paymentsOf(order.id)).toHaveLength(1);
        charge.mockRestore();
      }
    });

    it('Idempotency-Key: a repeat replays the first answer and charges once; another body → 422', async () => {
      const { customer, order } = await newOrder();
      const charge = jest.spyOn(provider, 'charge');
      const first = await pay(t.http, customer, order.id, 'card', {}, 'pay-key-1');
      expect(first.status).toBe(201);
      const second = await pay(t.http, customer, order.id, 'card', {}, 'pay-key-1');
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(charge).toHaveBeenCalledTimes(1);
      const other = await pay(t.http, customer, order.id, 'kaspi', {}, 'pay-key-1');
      expect(other.status).toBe(422);
      // Concurrent duplicates of a fresh key: still one charge.
      const { customer: c2, order: o2 } = await newOrder();
      const dupes = await Promise.all(
        [0, 1, 2].map(() => pay(t.http, c2, o2.id, 'card', {}, 'pay-key-2')),
      );
      expect(dupes.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(dupes.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
      expect(charge).toHaveBeenCalledTimes(2);
      expect(await paymentsOf(o2.id)).toHaveLength(1);
    });
  });

  describe('GET /payments/{id} and /payments/order/{order_id}', () => {
    it('the owner and admins see them; anyone else → 404; bad ids → 400; no token → 401', async () => {
      const { customer, order } = await newOrder();
      const created = (await pay(t.http, customer, order.id, 'card')).body;
      const other = await makeUser(t.http, 'customer');

      const own = await t.http.get(`${PAYMENTS}/${created.id}`).set(customer.auth);
      expect(own.status).toBe(200);
      expect(own.body).toEqual(created);
      expect((await t.http.get(`${PAYMENTS}/${created.id}`).set(admin.auth)).body).toEqual(created);
      expect((await t.http.get(`${PAYMENTS}/${created.id}`).set(other.auth)).status).toBe(404);
      expect((await t.http.get(`${PAYMENTS}/${created.id}`).set(seller.auth)).status).toBe(404);
      expect((await t.http.get(`${PAYMENTS}/${created.id}`)).status).toBe(401);
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await t.http.get(`${PAYMENTS}/${unknown}`).set(customer.auth)).status).toBe(404);
      expect((await t.http.get(`${PAYMENTS}/nope`).set(customer.auth)).status).toBe(400);

      const list = await t.http.get(`${PAYMENTS}/order/${order.id}`).set(customer.auth);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([created]);
      const asAdmin = await t.http.get(`${PAYMENTS}/order/${order.id}`).set(admin.auth);
      expect(asAdmin.body).toEqual([created]);
      expect((await t.http.get(`${PAYMENTS}/order/${order.id}`).set(other.auth)).status).toBe(404);
      expect((await t.http.get(`${PAYMENTS}/order/${unknown}`).set(customer.auth)).status).toBe(
        404,
      );
      expect((await t.http.get(`${PAYMENTS}/order/nope`).set(customer.auth)).status).toBe(400);
      expect((await t.http.get(`${PAYMENTS}/order/${order.id}`)).status).toBe(401);

      const { customer: c2, order: unpaid } = await newOrder();
      expect((await t.http.get(`${PAYMENTS}/order/${unpaid.id}`).set(c2.auth)).body).toEqual([]);
    });

    it('writes a history row with a note for the payment', async () => {
      const { customer, order } = await newOrder();
      await pay(t.http, customer, order.id, 'card');
      const rows = await t.ds.getRepository(OrderStatusHistory).findBy({ orderId: order.id });
      expect(rows.filter((r) => r.note === 'payment completed')).toHaveLength(1);
    });
  });
});
