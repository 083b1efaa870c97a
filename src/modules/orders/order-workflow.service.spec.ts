import type { FulfillmentsMovedEvent } from '../../common/events';
import { FULFILLMENTS_MOVED, ORDER_CANCELLED, ORDER_STATUS_CHANGED } from '../../common/events';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { codeOf, testActor as actor } from '../../testing/unit-helpers';
import type { Fulfillment, Order, OrderItem, OrderStatus } from './order.entity';
import { ORDER_STATUSES } from './order.entity';
import { CUSTOMER_CANCELLABLE, TRANSITIONS, WorkflowActor } from './order-workflow';
import { OrderWorkflowService } from './order-workflow.service';
import type { HistoryRow } from './orders.repository';

const buyer = actor('buyer', 'customer');
const sellerA = actor('sA', 'seller');
const sellerB = actor('sB', 'seller');
const admin = actor('admin', 'admin');

/** An in-memory orders repository: one order, its parcels and lines. */
function fakeRepo(parcels: [string, OrderStatus][]) {
  const order = { id: 'o1', userId: 'buyer', status: 'pending', trackingNumber: 'BB-1' } as Order;
  const fulfillments = parcels.map(
    ([sellerId, status]) =>
      ({
        id: `f-${sellerId}`,
        orderId: 'o1',
        sellerId,
        status,
        itemsTotal: 1000_00,
        deliveryCost: 250_00,
      }) as Fulfillment,
  );
  const items = parcels.flatMap(([sellerId]) => [
    { orderId: 'o1', sellerId, productId: `${sellerId}-p2`, quantity: 2 } as OrderItem,
    { orderId: 'o1', sellerId, productId: `${sellerId}-p1`, quantity: 1 } as OrderItem,
  ]);
  const history: HistoryRow[] = [];
  const repo = {
    order,
    fulfillments,
    history,
    lose: new Set<string>(),
    orderById: jest.fn(async (id: string, _tx?: unknown) => (id === 'o1' ? { ...order } : null)),
    fulfillmentsOf: jest.fn(async () => fulfillments.map((f) => ({ ...f }))),
    lockedFulfillmentsOf: jest.fn(async () => fulfillments.map((f) => ({ ...f }))),
    itemsOf: jest.fn(async () => items),
    moveFulfillment: jest.fn(async (_tx, id: string, from: OrderStatus, to: OrderStatus) => {
      const f = fulfillments.find((x) => x.id === id)!;
      if (f.status !== from || repo.lose.has(id)) return false;
      f.status = to;
      return true;
    }),
    appendHistory: jest.fn(async (_tx, rows: HistoryRow[]) => void history.push(...rows)),
    setStatus: jest.fn(async (_tx, _id, status: OrderStatus) => void (order.status = status)),
  };
  return repo;
}

function make(parcels: [string, OrderStatus][] = [['sA', 'pending']]) {
  const uow = new FakeUnitOfWork();
  const repo = fakeRepo(parcels);
  const orders = { getForActor: jest.fn(async () => ({ id: 'o1', status: repo.order.status })) };
  const inventory = { returnStock: jest.fn().mockResolvedValue(undefined) };
  const outbox = { enqueue: jest.fn().mockResolvedValue(undefined), kick: jest.fn() };
  const users = { findById: jest.fn(async (id: string) => ({ ...buyer, id })) };
  // events after the commit; the in-transaction FULFILLMENTS_MOVED is recorded apart (its `em` is
  // the fake handle, which must not be compared)
  const events = { emitAsync: jest.fn().mockResolvedValue([]) };
  const moved: Omit<FulfillmentsMovedEvent, 'em'>[] = [];
  const bus = {
    emitAsync: (name: string, e: FulfillmentsMovedEvent) => {
      if (name !== FULFILLMENTS_MOVED) return events.emitAsync(name, e);
      expect(e.em).toBe(uow.tx);
      moved.push({ orderId: e.orderId, orderStatus: e.orderStatus, moves: e.moves, at: e.at });
      return Promise.resolve([]);
    },
  };
  const openReturns = { openReturnOf: jest.fn().mockResolvedValue(null) };
  const svc = new OrderWorkflowService(
    uow.asUnitOfWork(),
    repo as any,
    orders as any,
    inventory as any,
    outbox as any,
    users as any,
    bus as any,
    openReturns as any,
    { now: () => new Date() } as any,
  );
  return { svc, uow, repo, orders, inventory, outbox, users, events, moved, openReturns };
}

const allowed = (from: OrderStatus, to: OrderStatus, who: WorkflowActor) =>
  (TRANSITIONS[from][to] ?? []).includes(who);

describe('OrderWorkflowService', () => {
  describe('changeStatus', () => {
    const cases = ORDER_STATUSES.flatMap((from) =>
      ORDER_STATUSES.flatMap((to) =>
        (['seller', 'admin'] as const).map((who) => [from, to, who] as const),
      ),
    );

    it.each(cases)('%s → %s by a %s: as the workflow table says', async (from, to, who) => {
      const t = make([['sA', from]]);
      const code = await codeOf(
        t.svc.changeStatus(who === 'admin' ? admin : sellerA, 'o1', { status: to }),
      );
      if (who === 'admin' && from === 'cancelled') {
        // the admin without seller_id moves the live parcels: there are none
        expect(code).toBe('INVALID_TRANSITION');
      } else {
        expect(code).toBe(allowed(from, to, who) ? 'ok' : 'INVALID_TRANSITION');
      }
      if (code === 'ok') {
        expect(t.repo.fulfillments[0].status).toBe(to);
        expect(t.repo.history.map((h) => [h.status, h.sellerId])).toEqual([[to, 'sA']]);
        expect(t.outbox.kick).toHaveBeenCalled();
      } else {
        expect(t.repo.fulfillments[0].status).toBe(from);
        expect(t.repo.moveFulfillment).not.toHaveBeenCalled();
        expect(t.events.emitAsync).not.toHaveBeenCalled();
      }
    });

    it('reads the order and locks its parcels once, inside the transaction', async () => {
      const t = make();
      await t.svc.changeStatus(sellerA, 'o1', { status: 'confirmed' });
      expect(t.repo.orderById).toHaveBeenCalledTimes(1);
      expect(t.repo.orderById.mock.calls[0][1]).toBe(t.uow.tx);
      expect(t.repo.lockedFulfillmentsOf).toHaveBeenCalledTimes(1);
      expect(t.uow.runs).toBe(1);
    });

    it('a seller moves only their parcel; another seller’s order → 404; seller_id is for admins', async () => {
      const t = make([
        ['sA', 'pending'],
        ['sB', 'pending'],
      ]);
      await t.svc.changeStatus(sellerA, 'o1', { status: 'confirmed' });
      expect(t.repo.fulfillments.map((f) => f.status)).toEqual(['confirmed', 'pending']);
      expect(t.repo.order.status).toBe('pending'); // the least advanced parcel
      const stranger = actor('sC', 'seller');
      expect(await codeOf(t.svc.changeStatus(stranger, 'o1', { status: 'confirmed' }))).toBe(
        'NOT_FOUND',
      );
      expect(
        await codeOf(t.svc.changeStatus(sellerA, 'o1', { status: 'confirmed', seller_id: 'sB' })),
      ).toBe('BAD_REQUEST');
      expect(await codeOf(t.svc.changeStatus(admin, 'nope', { status: 'confirmed' }))).toBe(
        'NOT_FOUND',
      );
    });

    it('an admin moves every live parcel, or the one named', async () => {
      const t = make([
        ['sA', 'pending'],
        ['sB', 'pending'],
        ['sC', 'cancelled'],
      ]);
      await t.svc.changeStatus(admin, 'o1', { status: 'confirmed', seller_id: 'sB' });
      expect(t.repo.fulfillments.map((f) => f.status)).toEqual([
        'pending',
        'confirmed',
        'cancelled',
      ]);
      await t.svc.changeStatus(admin, 'o1', { status: 'cancelled' });
      expect(await codeOf(t.svc.changeStatus(admin, 'o1', { status: 'processing' }))).toBe(
        'INVALID_TRANSITION',
      );
      expect(t.repo.order.status).toBe('cancelled');
    });

    it('restocks on cancel only the lines of the cancelled sellers, in product-id order', async () => {
      const t = make([
        ['sA', 'confirmed'],
        ['sB', 'processing'],
      ]);
      await t.svc.changeStatus(sellerB, 'o1', { status: 'cancelled' });
      expect(t.inventory.returnStock.mock.calls.map(([, c]) => [c.productId, c.quantity])).toEqual([
        ['sB-p1', 1],
        ['sB-p2', 2],
      ]);
      expect(t.repo.order.status).toBe('confirmed');
      t.inventory.returnStock.mockClear();
      await t.svc.changeStatus(sellerA, 'o1', { status: 'processing' });
      expect(t.inventory.returnStock).not.toHaveBeenCalled();
    });

    it('a lost conditional update → 409 INVALID_TRANSITION, nothing after it written', async () => {
      const t = make();
      t.repo.lose.add('f-sA');
      expect(await codeOf(t.svc.changeStatus(sellerA, 'o1', { status: 'cancelled' }))).toBe(
        'INVALID_TRANSITION',
      );
      expect(t.inventory.returnStock).not.toHaveBeenCalled();
      expect(t.repo.appendHistory).not.toHaveBeenCalled();
      expect(t.repo.setStatus).not.toHaveBeenCalled();
      expect(t.outbox.enqueue).not.toHaveBeenCalled();
      expect(t.events.emitAsync).not.toHaveBeenCalled();
    });

    it('a delivered parcel with an open return is not refunded (409 naming it); without one it is', async () => {
      const t = make([['sA', 'delivered']]);
      t.openReturns.openReturnOf.mockResolvedValueOnce({ returnId: 'r1', status: 'approved' });
      const refused = t.svc.changeStatus(sellerA, 'o1', { status: 'refunded' });
      expect(await codeOf(refused)).toBe('INVALID_TRANSITION');
      expect(t.openReturns.openReturnOf.mock.calls[0][0]).toBe(t.uow.tx);
      expect(t.openReturns.openReturnOf.mock.calls[0][1]).toEqual(['f-sA']);
      expect(t.repo.setStatus).not.toHaveBeenCalled();
      await t.svc.changeStatus(sellerA, 'o1', { status: 'refunded' });
      expect(t.repo.setStatus).toHaveBeenCalledTimes(1);
      // other moves do not ask
      t.openReturns.openReturnOf.mockClear();
      await make([['sA', 'shipped']]).svc.changeStatus(sellerA, 'o1', { status: 'delivered' });
      expect(t.openReturns.openReturnOf).not.toHaveBeenCalled();
    });

    it('mails the customer with the tracking number when shipped, then emits after the commit', async () => {
      const t = make([['sA', 'processing']]);
      await t.svc.changeStatus(sellerA, 'o1', { status: 'shipped', tracking_number: 'KZ123' });
      expect(t.users.findById).toHaveBeenCalledWith('buyer');
      const [tx, mail, kind] = t.outbox.enqueue.mock.calls[0];
      expect(tx).toBe(t.uow.tx);
      expect([mail.to, kind]).toEqual(['buyer@x.kz', 'order_status']);
      expect(mail.text).toContain('KZ123');
      expect(t.events.emitAsync).toHaveBeenCalledWith(ORDER_STATUS_CHANGED, {
        orderId: 'o1',
        actorId: 'sA',
        orderStatus: 'shipped',
        fulfillmentStatus: 'shipped',
        sellerIds: ['sA'],
      });
      expect(t.events.emitAsync.mock.invocationCallOrder[0]).toBeGreaterThan(
        t.outbox.kick.mock.invocationCallOrder[0],
      );
    });

    it('tells the ledger of the moves inside the transaction (FULFILLMENTS_MOVED with from and to)', async () => {
      const t = make([
        ['sA', 'shipped'],
        ['sB', 'shipped'],
      ]);
      await t.svc.changeStatus(admin, 'o1', { status: 'delivered' });
      expect(t.moved).toEqual([
        {
          orderId: 'o1',
          orderStatus: 'delivered',
          at: expect.any(Date),
          moves: [
            {
              fulfillmentId: 'f-sA',
              sellerId: 'sA',
              from: 'shipped',
              to: 'delivered',
              total: 1250_00,
            },
            {
              fulfillmentId: 'f-sB',
              sellerId: 'sB',
              from: 'shipped',
              to: 'delivered',
              total: 1250_00,
            },
          ],
        },
      ]);
    });

    it('a failing listener does not fail the change', async () => {
      const t = make();
      t.events.emitAsync.mockRejectedValue(new Error('listener down'));
      jest.spyOn(t.svc['logger'], 'error').mockImplementation(() => undefined);
      await expect(t.svc.changeStatus(sellerA, 'o1', { status: 'confirmed' })).resolves.toEqual({
        id: 'o1',
        status: 'confirmed',
      });
    });
  });

  describe('cancel', () => {
    it.each(ORDER_STATUSES.filter((s) => s !== 'cancelled'))(
      'the owner cancels while every parcel is pending or confirmed (here %s)',
      async (status) => {
        const t = make([['sA', status]]);
        const code = await codeOf(t.svc.cancel(buyer, 'o1'));
        expect(code).toBe(CUSTOMER_CANCELLABLE.includes(status) ? 'ok' : 'ORDER_NOT_CANCELLABLE');
      },
    );

    it('cancels every live parcel, restocks all lines, mails, emits ORDER_CANCELLED', async () => {
      const t = make([
        ['sA', 'pending'],
        ['sB', 'confirmed'],
      ]);
      await t.svc.cancel(buyer, 'o1');
      expect(t.repo.fulfillments.map((f) => f.status)).toEqual(['cancelled', 'cancelled']);
      expect(t.repo.order.status).toBe('cancelled');
      expect(t.inventory.returnStock.mock.calls.map(([, c]) => c.productId)).toEqual([
        'sA-p1',
        'sA-p2',
        'sB-p1',
        'sB-p2',
      ]);
      expect(t.outbox.enqueue).toHaveBeenCalledTimes(1);
      expect(t.events.emitAsync).toHaveBeenCalledWith(ORDER_CANCELLED, {
        orderId: 'o1',
        actorId: 'buyer',
      });
    });

    it('someone else’s order → 404; an already cancelled one → 409; a lost race → 409', async () => {
      expect(await codeOf(make().svc.cancel(admin, 'o1'))).toBe('NOT_FOUND');
      expect(await codeOf(make().svc.cancel(sellerA, 'o1'))).toBe('NOT_FOUND');
      expect(await codeOf(make([['sA', 'cancelled']]).svc.cancel(buyer, 'o1'))).toBe(
        'ORDER_NOT_CANCELLABLE',
      );
      const t = make();
      t.repo.lose.add('f-sA');
      expect(await codeOf(t.svc.cancel(buyer, 'o1'))).toBe('ORDER_NOT_CANCELLABLE');
      expect(t.inventory.returnStock).not.toHaveBeenCalled();
    });
  });
});
