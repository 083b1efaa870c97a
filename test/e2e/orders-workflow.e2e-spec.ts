import { EventEmitter2 } from '@nestjs/event-emitter';

import {
  ORDER_CANCELLED,
  ORDER_STATUS_CHANGED,
  OrderCancelledEvent,
  OrderStatusChangedEvent,
} from '../../src/common/events';
import { Order } from '../../src/modules/orders/order.entity';
import { OrdersService } from '../../src/modules/orders/orders.service';
import { Product } from '../../src/modules/products/product.entity';
import { StockMovement } from '../../src/modules/products/stock-movement.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { checkout } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

const ORDERS = '/api/v1/orders';

describe('orders: workflow, cancel and restock (e2e)', () => {
  let t: TestApp;
  let buyer: Actor;
  let sellerA: Actor;
  let sellerB: Actor;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    buyer = await makeUser(t.http, 'customer');
    sellerA = await makeUser(t.http, 'seller');
    sellerB = await makeUser(t.http, 'seller');
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  const move = (who: Actor, id: string, body: Record<string, unknown>) =>
    t.http.put(`${ORDERS}/${id}/status`).set(who.auth).send(body);
  const cancel = (who: Actor, id: string) => t.http.put(`${ORDERS}/${id}/cancel`).set(who.auth);
  const stockOf = async (id: string) =>
    (await t.ds.getRepository(Product).findOneByOrFail({ id })).quantity;
  const single = async (quantity = 1, stock = 10) => {
    const p = await insertProduct(t.ds, sellerA.id, { quantity: stock, price: 500 });
    const o = await checkout(t.http, buyer, [{ product: p, quantity }]);
    return { p, o };
  };
  const multi = async () => {
    const a = await insertProduct(t.ds, sellerA.id, { quantity: 10, price: 100 });
    const b = await insertProduct(t.ds, sellerB.id, { quantity: 10, price: 200 });
    const o = await checkout(t.http, buyer, [
      { product: a, quantity: 2 },
      { product: b, quantity: 3 },
    ]);
    return { a, b, o };
  };

  describe('PUT /orders/{id}/status', () => {
    it('a seller walks their fulfillment through every allowed step; history records who', async () => {
      const { o } = await single();
      const steps = ['confirmed', 'processing', 'shipped', 'delivered', 'refunded'];
      for (const status of steps) {
        const body: Record<string, unknown> = { status };
        if (status === 'shipped') body.tracking_number = 'KZP123456789KZ';
        const res = await move(sellerA, o.id, body);
        expect(res.status).toBe(200);
        expect(res.body.status).toBe(status); // single seller: the order moves with it
        expect(res.body.fulfillments[0].status).toBe(status);
      }
      const full = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(full.body.status).toBe('refunded');
      expect(full.body.fulfillments[0].tracking_number).toBe('KZP123456789KZ');
      expect(full.body.status_history.map((h: any) => h.status)).toEqual(['pending', ...steps]);
      expect(full.body.status_history.slice(1).every((h: any) => h.changed_by === sellerA.id)).toBe(
        true,
      );
      expect(full.body.status_history.every((h: any) => h.seller_id === sellerA.id)).toBe(true);
    });

    it('the admin walks it too (every allowed step)', async () => {
      const { o } = await single();
      for (const status of ['confirmed', 'processing', 'shipped', 'delivered', 'refunded']) {
        expect((await move(admin, o.id, { status })).status).toBe(200);
      }
      const { o: o2 } = await single();
      for (const status of ['confirmed', 'processing', 'cancelled']) {
        const res = await move(admin, o2.id, { status });
        expect(res.status).toBe(200);
        expect(res.body.status_history.at(-1)).toMatchObject({ status, changed_by: admin.id });
      }
    });

    it.each([
      ['pending', 'shipped'],
      ['pending', 'delivered'],
      ['pending', 'refunded'],
      ['pending', 'pending'],
      ['confirmed', 'pending'],
      ['confirmed', 'shipped'],
      ['processing', 'delivered'],
      ['shipped', 'cancelled'],
      ['shipped', 'processing'],
      ['delivered', 'cancelled'],
      ['delivered', 'shipped'],
      ['cancelled', 'confirmed'],
      ['cancelled', 'pending'],
      ['refunded', 'delivered'],
    ])('forbidden: %s → %s gives 409 and changes nothing', async (from, to) => {
      const { p, o } = await single(2);
      const path: Record<string, string[]> = {
        pending: [],
        confirmed: ['confirmed'],
        processing: ['confirmed', 'processing'],
        shipped: ['confirmed', 'processing', 'shipped'],
        delivered: ['confirmed', 'processing', 'shipped', 'delivered'],
        refunded: ['confirmed', 'processing', 'shipped', 'delivered', 'refunded'],
        cancelled: ['cancelled'],
      };
      for (const s of path[from])
        expect((await move(sellerA, o.id, { status: s })).status).toBe(200);
      const stock = await stockOf(p.id);
      const before = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      const res = await move(sellerA, o.id, { status: to });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
      const after = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(after.body.status).toBe(from);
      expect(after.body.status_history).toHaveLength(before.body.status_history.length);
      expect(await stockOf(p.id)).toBe(stock);
    });

    it('multi-seller: the order status is the least advanced live fulfillment', async () => {
      const { o } = await multi();
      let res = await move(sellerA, o.id, { status: 'confirmed' });
      expect(res.status).toBe(200);
      expect(res.body.fulfillments).toHaveLength(1); // the seller's view
      let whole = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(whole.body.status).toBe('pending');
      expect((await move(sellerB, o.id, { status: 'confirmed' })).status).toBe(200);
      whole = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(whole.body.status).toBe('confirmed');
      await move(sellerA, o.id, { status: 'processing' });
      await move(sellerA, o.id, { status: 'shipped', tracking_number: 'A-1' });
      whole = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(whole.body.status).toBe('confirmed');
      // B cancels its parcel: the order follows A
      res = await move(sellerB, o.id, { status: 'cancelled' });
      expect(res.status).toBe(200);
      whole = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(whole.body.status).toBe('shipped');
      expect(whole.body.fulfillments.map((f: any) => [f.seller_id, f.status]).sort()).toEqual(
        [
          [sellerA.id, 'shipped'],
          [sellerB.id, 'cancelled'],
        ].sort(),
      );
    });

    it('cancelling one fulfillment returns only its items to stock; all cancelled → order cancelled', async () => {
      const { a, b, o } = await multi();
      expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([8, 7]);
      await move(sellerB, o.id, { status: 'confirmed' });
      await move(sellerB, o.id, { status: 'processing' });
      expect((await move(sellerB, o.id, { status: 'cancelled' })).status).toBe(200);
      expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([8, 10]);
      const moves = await t.ds
        .getRepository(StockMovement)
        .findBy({ productId: b.id, reason: 'cancellation' });
      expect(moves).toHaveLength(1);
      expect(moves[0]).toMatchObject({ delta: 3, orderId: o.id, actorId: sellerB.id });
      let whole = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(whole.body.status).toBe('pending');
      expect((await move(sellerA, o.id, { status: 'cancelled' })).status).toBe(200);
      whole = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(whole.body.status).toBe('cancelled');
      expect(await stockOf(a.id)).toBe(10);
    });

    it('the admin moves every live fulfillment, or only the one of seller_id', async () => {
      const { o } = await multi();
      let res = await move(admin, o.id, { status: 'confirmed', seller_id: sellerB.id });
      expect(res.status).toBe(200);
      expect(res.body.fulfillments.map((f: any) => [f.seller_id, f.status]).sort()).toEqual(
        [
          [sellerA.id, 'pending'],
          [sellerB.id, 'confirmed'],
        ].sort(),
      );
      // moving all: one of them cannot go pending → processing → 409, nothing moves
      res = await move(admin, o.id, { status: 'processing' });
      expect(res.status).toBe(409);
      res = await move(admin, o.id, { status: 'confirmed', seller_id: sellerA.id });
      expect(res.status).toBe(200);
      res = await move(admin, o.id, { status: 'processing' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('processing');
      expect(res.body.fulfillments.every((f: any) => f.status === 'processing')).toBe(true);
      const stranger = await makeUser(t.http, 'seller');
      res = await move(admin, o.id, { status: 'shipped', seller_id: stranger.id });
      expect(res.status).toBe(404);
    });

    it('who may: customer 403, seller without items 404, seller naming another seller 400', async () => {
      const { o } = await multi();
      expect((await move(buyer, o.id, { status: 'confirmed' })).status).toBe(403);
      const stranger = await makeUser(t.http, 'seller');
      expect((await move(stranger, o.id, { status: 'confirmed' })).status).toBe(404);
      const res = await move(sellerA, o.id, { status: 'confirmed', seller_id: sellerB.id });
      expect(res.status).toBe(400);
      expect(
        (await t.http.put(`${ORDERS}/${o.id}/status`).send({ status: 'confirmed' })).status,
      ).toBe(401);
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await move(admin, unknown, { status: 'confirmed' })).status).toBe(404);
      const whole = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(whole.body.fulfillments.every((f: any) => f.status === 'pending')).toBe(true);
    });

    it('invalid bodies → 400', async () => {
      const { o } = await single();
      for (const body of [
        {},
        { status: 'lost' },
        { status: 'confirmed', extra: 1 },
        { status: 'confirmed', seller_id: 'x' },
        { status: 'shipped', tracking_number: '' },
      ]) {
        expect((await move(sellerA, o.id, body)).status).toBe(400);
      }
      expect((await move(sellerA, 'nope', { status: 'confirmed' })).status).toBe(400);
    });

    it('emits ORDER_STATUS_CHANGED after the commit and answers with what listeners did', async () => {
      const { o } = await single();
      const events = t.app.get(EventEmitter2);
      const seen: OrderStatusChangedEvent[] = [];
      const listener = async (e: OrderStatusChangedEvent) => {
        seen.push(e);
        // as payments does: a change made by a listener shows in the answer
        await t.ds.getRepository(Order).update({ id: e.orderId }, { paymentStatus: 'completed' });
      };
      events.on(ORDER_STATUS_CHANGED, listener);
      try {
        const res = await move(sellerA, o.id, { status: 'confirmed' });
        expect(res.body.payment_status).toBe('completed');
      } finally {
        events.off(ORDER_STATUS_CHANGED, listener);
      }
      expect(seen).toEqual([
        {
          orderId: o.id,
          actorId: sellerA.id,
          orderStatus: 'confirmed',
          fulfillmentStatus: 'confirmed',
          sellerIds: [sellerA.id],
        },
      ]);
    });

    it('a failing listener does not undo or fail the committed change', async () => {
      const { o } = await single();
      const events = t.app.get(EventEmitter2);
      const boom = async () => {
        throw new Error('listener down');
      };
      events.on(ORDER_STATUS_CHANGED, boom);
      try {
        const res = await move(sellerA, o.id, { status: 'confirmed' });
        expect(res.status).toBe(200);
        expect(res.body.status).toBe('confirmed');
      } finally {
        events.off(ORDER_STATUS_CHANGED, boom);
      }
      const again = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(again.body.status).toBe('confirmed');
    });

    it('OrdersService.hasDeliveredPurchase is true only once the line is delivered', async () => {
      const { p, o } = await single();
      const svc = t.app.get(OrdersService);
      expect(await svc.hasDeliveredPurchase(buyer.id, p.id)).toBe(false);
      for (const status of ['confirmed', 'processing', 'shipped'])
        await move(sellerA, o.id, { status });
      expect(await svc.hasDeliveredPurchase(buyer.id, p.id)).toBe(false);
      await move(sellerA, o.id, { status: 'delivered' });
      expect(await svc.hasDeliveredPurchase(buyer.id, p.id)).toBe(true);
      expect(await svc.hasDeliveredPurchase(sellerB.id, p.id)).toBe(false);
    });
  });

  describe('PUT /orders/{id}/cancel', () => {
    it('the owner cancels a pending order: status cancelled, stock back, history, event', async () => {
      const { p, o } = await single(3);
      expect(await stockOf(p.id)).toBe(7);
      const events = t.app.get(EventEmitter2);
      const seen: OrderCancelledEvent[] = [];
      const listener = (e: OrderCancelledEvent) => void seen.push(e);
      events.on(ORDER_CANCELLED, listener);
      const res = await cancel(buyer, o.id);
      events.off(ORDER_CANCELLED, listener);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      expect(res.body.fulfillments[0].status).toBe('cancelled');
      expect(res.body.status_history.at(-1)).toMatchObject({
        status: 'cancelled',
        changed_by: buyer.id,
      });
      expect(await stockOf(p.id)).toBe(10);
      expect(seen).toEqual([{ orderId: o.id, actorId: buyer.id }]);
    });

    it('allowed while confirmed; a multi-seller order restocks every line', async () => {
      const { a, b, o } = await multi();
      await move(sellerA, o.id, { status: 'confirmed' });
      const res = await cancel(buyer, o.id);
      expect(res.status).toBe(200);
      expect(res.body.fulfillments.every((f: any) => f.status === 'cancelled')).toBe(true);
      expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([10, 10]);
    });

    it('409 once a parcel is processing or beyond, and when already cancelled', async () => {
      const { p, o } = await multi().then((m) => ({ p: m.a, o: m.o }));
      await move(sellerA, o.id, { status: 'confirmed' });
      await move(sellerA, o.id, { status: 'processing' });
      let res = await cancel(buyer, o.id);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ORDER_NOT_CANCELLABLE');
      expect(await stockOf(p.id)).toBe(8);
      const { o: o2 } = await single();
      expect((await cancel(buyer, o2.id)).status).toBe(200);
      res = await cancel(buyer, o2.id);
      expect(res.status).toBe(409);
    });

    it('only the owner: others (admin and the seller included) get 404', async () => {
      const { o } = await single();
      const other = await makeUser(t.http, 'customer');
      for (const who of [other, sellerA, admin]) expect((await cancel(who, o.id)).status).toBe(404);
      expect((await cancel(buyer, 'nope')).status).toBe(400);
      const still = await t.http.get(`${ORDERS}/${o.id}`).set(buyer.auth);
      expect(still.body.status).toBe('pending');
    });

    it('two racing cancels: one 200, one 409, the stock comes back exactly once', async () => {
      for (let round = 0; round < 3; round++) {
        const { p, o } = await single(4, 4);
        expect(await stockOf(p.id)).toBe(0);
        const results = await Promise.all([cancel(buyer, o.id), cancel(buyer, o.id)]);
        expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
        expect(await stockOf(p.id)).toBe(4);
        const movements = await t.ds
          .getRepository(StockMovement)
          .findBy({ productId: p.id, reason: 'cancellation' });
        expect(movements).toHaveLength(1);
      }
    });

    it('a racing cancel and seller cancel restock once too', async () => {
      const { p, o } = await single(2, 2);
      const results = await Promise.all([
        cancel(buyer, o.id),
        move(sellerA, o.id, { status: 'cancelled' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await stockOf(p.id)).toBe(2);
    });
  });
});
