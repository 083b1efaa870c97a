import { randomUUID } from 'node:crypto';

import { OutboxMail } from '../../src/modules/email/outbox-mail.entity';
import { Order, OrderStatusHistory } from '../../src/modules/orders/order.entity';
import { Payment } from '../../src/modules/payments/payment.entity';
import type { ChargeResult } from '../../src/modules/payments/payment-provider';
import { PaymentProvider } from '../../src/modules/payments/payment-provider';
import { signBody } from '../../src/modules/payments/webhook-signature';
import { createTestApp, TestApp } from '../create-test-app';
import { checkout } from '../factories/orders';
import { customerWithOrder, pay, PAYMENTS, postWebhook } from '../factories/payments';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

describe('payments: method life cycles, webhooks and refunds (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  let admin: Actor;
  let provider: PaymentProvider;

  beforeAll(async () => {
    t = await createTestApp();
    seller = await makeUser(t.http, 'seller');
    admin = await makeUser(t.http, 'admin');
    provider = t.app.get(PaymentProvider);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  const newOrder = () => customerWithOrder(t.http, t.ds, seller.id);
  const paymentRow = (id: string) => t.ds.getRepository(Payment).findOneByOrFail({ id });
  const orderRow = (id: string) => t.ds.getRepository(Order).findOneByOrFail({ id });
  const historyCount = (orderId: string) =>
    t.ds.getRepository(OrderStatusHistory).countBy({ orderId });
  const mailsOf = (to: string, kind: string) =>
    t.ds.getRepository(OutboxMail).countBy({ toAddress: to, kind });
  const moveOrder = (id: string, status: string) =>
    t.http.put(`/api/v1/orders/${id}/status`).set(admin.auth).send({ status });

  describe('kaspi: pending until the signed callback', () => {
    it('good, bad, missing and replayed signatures; unknown transaction and provider', async () => {
      const { customer, order } = await newOrder();
      const created = await pay(t.http, customer, order.id, 'kaspi');
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('pending');
      expect((await orderRow(order.id)).paymentStatus).toBe('pending');
      expect((await orderRow(order.id)).status).toBe('pending');
      const txn = created.body.transaction_id as string;
      const body = { transaction_id: txn, status: 'completed' };

      const wrong = signBody('not-the-secret', JSON.stringify(body));
      expect((await postWebhook(t.http, 'kaspi', body, wrong)).status).toBe(401);
      expect((await postWebhook(t.http, 'kaspi', body, null)).status).toBe(401);
      expect((await postWebhook(t.http, 'kaspi', body, 'abc')).status).toBe(401);
      // A signature of another body does not authenticate this one.
      const otherSig = signBody(
        'test-webhook-secret',
        JSON.stringify({ ...body, status: 'failed' }),
      );
      expect((await postWebhook(t.http, 'kaspi', body, otherSig)).status).toBe(401);
      expect((await postWebhook(t.http, 'paypal', body)).status).toBe(404);
      expect(
        (await postWebhook(t.http, 'kaspi', { transaction_id: 'no-such-txn', status: 'completed' }))
          .status,
      ).toBe(404);
      expect((await postWebhook(t.http, 'kaspi', { transaction_id: txn })).status).toBe(400);
      expect((await postWebhook(t.http, 'kaspi', { ...body, amount: 1 })).status).toBe(400);
      expect((await paymentRow(created.body.id)).status).toBe('pending');

      const good = await postWebhook(t.http, 'kaspi', body);
      expect(good.status).toBe(200);
      expect(good.body).toMatchObject({ id: created.body.id, status: 'completed' });
      let o = await orderRow(order.id);
      expect(o.paymentStatus).toBe('completed');
      expect(o.status).toBe('confirmed');
      expect(await mailsOf(customer.email, 'payment_completed')).toBe(1);

      const before = await paymentRow(created.body.id);
      const history = await historyCount(order.id);
      const replay = await postWebhook(t.http, 'kaspi', body);
      expect(replay.status).toBe(200);
      expect(replay.body.status).toBe('completed');
      const late = await postWebhook(t.http, 'kaspi', { transaction_id: txn, status: 'failed' });
      expect(late.status).toBe(200);
      expect(late.body.status).toBe('completed');
      const after = await paymentRow(created.body.id);
      expect(after.status).toBe('completed');
      expect(new Date(after.updatedAt).getTime()).toBe(new Date(before.updatedAt).getTime());
      expect(await historyCount(order.id)).toBe(history);
      expect(await mailsOf(customer.email, 'payment_completed')).toBe(1);
      o = await orderRow(order.id);
      expect(o.paymentStatus).toBe('completed');
    });

    it('a failed callback fails the payment and the order can be paid again', async () => {
      const { customer, order } = await newOrder();
      const created = (await pay(t.http, customer, order.id, 'kaspi')).body;
      const res = await postWebhook(t.http, 'kaspi', {
        transaction_id: created.transaction_id,
        status: 'failed',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'failed', failure_reason: 'declined_by_provider' });
      expect((await orderRow(order.id)).paymentStatus).toBe('failed');
      expect(await mailsOf(customer.email, 'payment_failed')).toBe(1);
      const retry = await pay(t.http, customer, order.id, 'card');
      expect(retry.status).toBe(201);
      expect(retry.body.status).toBe('completed');
      // The old transaction cannot be revived.
      const revive = await postWebhook(t.http, 'kaspi', {
        transaction_id: created.transaction_id,
        status: 'completed',
      });
      expect(revive.status).toBe(200);
      expect(revive.body.status).toBe('failed');
    });

    it('4 copies of one callback at once: one change, one history row, one mail', async () => {
      const { customer, order } = await newOrder();
      const created = (await pay(t.http, customer, order.id, 'kaspi')).body;
      const body = { transaction_id: created.transaction_id, status: 'completed' };
      const history = await historyCount(order.id);
      const results = await Promise.all([0, 1, 2, 3].map(() => postWebhook(t.http, 'kaspi', body)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(results.every((r) => r.body.status === 'completed')).toBe(true);
      expect(await mailsOf(customer.email, 'payment_completed')).toBe(1);
      // one confirmed row for the single parcel
      expect(await historyCount(order.id)).toBe(history + 1);
    });

    it('a card transaction is not a kaspi one (404)', async () => {
      const { customer, order } = await newOrder();
      const card = (await pay(t.http, customer, order.id, 'card')).body;
      const res = await postWebhook(t.http, 'kaspi', {
        transaction_id: card.transaction_id,
        status: 'failed',
      });
      expect(res.status).toBe(404);
      expect((await paymentRow(card.id)).status).toBe('completed');
    });
  });

  describe('cash on delivery', () => {
    it('stays pending through the workflow and completes when the order is delivered', async () => {
      const { customer, order } = await newOrder();
      const created = await pay(t.http, customer, order.id, 'cash_on_delivery');
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('pending');
      for (const s of ['confirmed', 'processing', 'shipped']) {
        expect((await moveOrder(order.id, s)).status).toBe(200);
        expect((await paymentRow(created.body.id)).status).toBe('pending');
      }
      const delivered = await moveOrder(order.id, 'delivered');
      expect(delivered.status).toBe(200);
      expect(delivered.body.payment_status).toBe('completed');
      expect((await paymentRow(created.body.id)).status).toBe('completed');
      expect(await mailsOf(customer.email, 'payment_completed')).toBe(1);
      const notes = await t.ds
        .getRepository(OrderStatusHistory)
        .findBy({ orderId: order.id, note: 'payment completed' });
      expect(notes).toHaveLength(1);
      expect(notes[0].status).toBe('delivered');
    });
  });

  describe('refunds', () => {
    it('cancelling a paid order refunds the payment through the provider, once', async () => {
      const { customer, order } = await newOrder();
      const paid = (await pay(t.http, customer, order.id, 'card')).body;
      const refund = jest.spyOn(provider, 'refund');
      const res = await t.http.put(`/api/v1/orders/${order.id}/cancel`).set(customer.auth);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect(res.body.payment_status).toBe('refunded');
      expect(refund).toHaveBeenCalledTimes(1);
      expect(refund.mock.calls[0][0]).toMatchObject({
        transactionId: paid.transaction_id,
        amount: 396900,
      });
      expect((await t.http.get(`${PAYMENTS}/${paid.id}`).set(customer.auth)).body.status).toBe(
        'refunded',
      );
      expect(await mailsOf(customer.email, 'payment_refunded')).toBe(1);
      expect(
        await t.ds
          .getRepository(OrderStatusHistory)
          .countBy({ orderId: order.id, note: 'payment refunded' }),
      ).toBe(1);
      expect(
        (await t.http.put(`/api/v1/orders/${order.id}/cancel`).set(customer.auth)).status,
      ).toBe(409);
      expect(refund).toHaveBeenCalledTimes(1);
    });

    it('a refund the provider refuses leaves the payment completed (nothing half-made)', async () => {
      const { customer, order } = await newOrder();
      const paid = (await pay(t.http, customer, order.id, 'card')).body;
      jest.spyOn(provider, 'refund').mockRejectedValueOnce(new Error('acquirer down'));
      const res = await t.http.put(`/api/v1/orders/${order.id}/cancel`).set(customer.auth);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect((await paymentRow(paid.id)).status).toBe('completed');
      expect((await orderRow(order.id)).paymentStatus).toBe('completed');
    });

    it('cancelling closes a pending kaspi payment; its late callback changes nothing', async () => {
      const { customer, order } = await newOrder();
      const pending = (await pay(t.http, customer, order.id, 'kaspi')).body;
      const refund = jest.spyOn(provider, 'refund');
      expect(
        (await t.http.put(`/api/v1/orders/${order.id}/cancel`).set(customer.auth)).status,
      ).toBe(200);
      expect(refund).not.toHaveBeenCalled();
      const p = await paymentRow(pending.id);
      expect(p).toMatchObject({ status: 'failed', failureReason: 'order_cancelled' });
      expect(await mailsOf(customer.email, 'payment_failed')).toBe(0);
      const late = await postWebhook(t.http, 'kaspi', {
        transaction_id: pending.transaction_id,
        status: 'completed',
      });
      expect(late.status).toBe(200);
      expect(late.body.status).toBe('failed');
    });

    it('an order moved to refunded refunds its payment', async () => {
      const { customer, order } = await newOrder();
      const paid = (await pay(t.http, customer, order.id, 'card')).body;
      const refund = jest.spyOn(provider, 'refund');
      // this payment's refunds only: the recovery sweep may refund an earlier test's late charge
      const refundsOfIt = () =>
        refund.mock.calls.filter(([r]) => r.transactionId === paid.transaction_id);
      for (const s of ['processing', 'shipped', 'delivered']) {
        expect((await moveOrder(order.id, s)).status).toBe(200);
      }
      expect((await paymentRow(paid.id)).status).toBe('completed');
      expect(refundsOfIt()).toHaveLength(0);
      const res = await moveOrder(order.id, 'refunded');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('refunded');
      expect(res.body.payment_status).toBe('refunded');
      expect(refundsOfIt()).toHaveLength(1);
      expect((await paymentRow(paid.id)).status).toBe('refunded');
      expect(await mailsOf(customer.email, 'payment_refunded')).toBe(1);
      // A refunded order takes no new payment.
      expect((await pay(t.http, customer, order.id, 'card')).status).toBe(409);
    });

    it('an admin cancelling a paid order (status → cancelled) refunds too', async () => {
      const { customer, order } = await newOrder();
      const paid = (await pay(t.http, customer, order.id, 'card')).body;
      const res = await moveOrder(order.id, 'cancelled');
      expect(res.status).toBe(200);
      expect(res.body.payment_status).toBe('refunded');
      expect((await paymentRow(paid.id)).status).toBe('refunded');
    });
  });

  describe('an order cancelled while the charge runs', () => {
    it('the late completed charge is refunded at once (the payment ends refunded)', async () => {
      const { customer, order } = await newOrder();
      let answer!: (r: ChargeResult) => void;
      const charge = jest
        .spyOn(provider, 'charge')
        .mockReturnValueOnce(new Promise<ChargeResult>((resolve) => (answer = resolve)));
      const refund = jest.spyOn(provider, 'refund');
      const inFlight = pay(t.http, customer, order.id, 'card').then((r) => r);
      for (let i = 0; i < 200 && !charge.mock.calls.length; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(charge).toHaveBeenCalledTimes(1);
      const cancel = await t.http.put(`/api/v1/orders/${order.id}/cancel`).set(customer.auth);
      expect(cancel.status).toBe(200);
      expect(refund).not.toHaveBeenCalled();
      const late = `late_${randomUUID()}`;
      answer({ status: 'completed', transaction_id: late });
      const res = await inFlight;
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('refunded');
      // this charge's refunds only: the refund sweep may meanwhile retry another test's refund
      // through the same provider (a CI run on a slow machine counted one)
      expect(refund.mock.calls.filter(([r]) => r.transactionId === late)).toHaveLength(1);
      const o = await orderRow(order.id);
      expect(o.status).toBe('cancelled');
      expect(o.paymentStatus).toBe('refunded');
    });
  });

  describe('multi-seller order', () => {
    it('a completed payment confirms every pending parcel', async () => {
      const seller2 = await makeUser(t.http, 'seller');
      const customer = await makeUser(t.http, 'customer');
      const a = await insertProduct(t.ds, seller.id, { price: 100 });
      const b = await insertProduct(t.ds, seller2.id, { price: 200.25 });
      const order = await checkout(t.http, customer, [a, b]);
      const res = await pay(t.http, customer, order.id, 'card');
      expect(res.status).toBe(201);
      expect(res.body.amount).toBe(100 + 200.25 + 2 * 1500);
      const o = (await t.http.get(`/api/v1/orders/${order.id}`).set(customer.auth)).body;
      expect(o.status).toBe('confirmed');
      expect(o.fulfillments.map((f: { status: string }) => f.status)).toEqual([
        'confirmed',
        'confirmed',
      ]);
    });
  });

  describe('the database itself', () => {
    it('refuses a second live payment for one order (partial unique index)', async () => {
      const { customer, order } = await newOrder();
      const row = (status: string) => ({
        id: randomUUID(),
        orderId: order.id,
        userId: customer.id,
        amount: 100,
        paymentMethod: 'card' as const,
        status: status as Payment['status'],
        transactionId: `t_${randomUUID()}`,
        provider: 'demo',
        failureReason: null,
      });
      const repo = t.ds.getRepository(Payment);
      await repo.insert(row('failed'));
      await repo.insert(row('pending'));
      await expect(repo.insert(row('processing'))).rejects.toThrow();
      await expect(repo.insert(row('completed'))).rejects.toThrow();
      await repo.insert(row('failed'));
      expect(await repo.countBy({ orderId: order.id })).toBe(3);
    });
  });
});
