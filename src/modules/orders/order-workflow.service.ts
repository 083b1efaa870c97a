import { randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type {
  FulfillmentsMovedEvent,
  OrderCancelledEvent,
  OrderStatusChangedEvent,
} from '../../common/events';
import { FULFILLMENTS_MOVED, ORDER_CANCELLED, ORDER_STATUS_CHANGED } from '../../common/events';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import { statusChangeMail } from '../email/templates';
import { ProductInventoryService } from '../products/product-inventory.service';
import { UsersService } from '../users/users.service';
import { ChangeOrderStatusDto } from './dto/order.dto';
import { OrderResponse } from './dto/order.response';
import { byProductId } from './lock-order';
import { OpenParcelReturns } from './open-parcel-returns';
import type { Fulfillment, Order, OrderStatus } from './order.entity';
import { isOwner, moveTargets, orNotFound, workflowScope } from './order-access';
import { OrderClock } from './order-clock';
import { canMove, CUSTOMER_CANCELLABLE, deriveOrderStatus } from './order-workflow';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

interface Move {
  f: Fulfillment;
  to: OrderStatus;
  trackingNumber?: string;
}

/** Who is emailed about a move: the customer (null: nobody). */
type Recipient = Pick<Actor, 'email' | 'firstName'> | null;

/**
 * Moves fulfillments along the workflow (order-workflow.ts) with conditional updates, so two
 * racing changes of one fulfillment cannot both apply (a racing double cancel restocks once).
 */
@Injectable()
export class OrderWorkflowService {
  private readonly logger = new Logger('OrderWorkflow');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: OrdersRepository,
    private readonly orders: OrdersService,
    private readonly inventory: ProductInventoryService,
    private readonly outbox: MailOutboxService,
    private readonly users: UsersService,
    private readonly events: EventEmitter2,
    private readonly openReturns: OpenParcelReturns,
    private readonly clock: OrderClock,
  ) {}

  /** PUT /orders/{id}/cancel: the owner cancels while every fulfillment is pending or confirmed. */
  async cancel(actor: Actor, id: string): Promise<OrderResponse> {
    await this.uow.run(async (tx) => {
      const order = orNotFound(await this.repo.orderById(id, tx), (o) => isOwner(actor, o));
      const fs = await this.repo.fulfillmentsOf(tx, id);
      const live = fs.filter((f) => f.status !== 'cancelled');
      if (!live.length) {
        throw new DomainError('ORDER_NOT_CANCELLABLE', 'The order is already cancelled');
      }
      const blocking = live.filter((f) => !CUSTOMER_CANCELLABLE.includes(f.status));
      if (blocking.length) {
        throw new DomainError(
          'ORDER_NOT_CANCELLABLE',
          `The order can no longer be cancelled (a parcel is ${blocking[0].status})`,
        );
      }
      const moves = live.map((f) => ({ f, to: 'cancelled' as const }));
      await this.apply(tx, order, fs, moves, actor, actor, 'ORDER_NOT_CANCELLABLE');
    });
    this.outbox.kick();
    await this.emit(ORDER_CANCELLED, {
      orderId: id,
      actorId: actor.id,
    } satisfies OrderCancelledEvent);
    return this.orders.getForActor(actor, id);
  }

  /** PUT /orders/{id}/status: a seller moves their fulfillment; an admin all or one. */
  async changeStatus(actor: Actor, id: string, dto: ChangeOrderStatusDto): Promise<OrderResponse> {
    const scope = workflowScope(actor, dto.seller_id);
    const { orderStatus, sellerIds } = await this.uow.run(async (tx) => {
      const order = await this.repo.orderById(id, tx);
      if (!order) throw notFound('Order');
      // locked on PostgreSQL: moves of one order, and returns deciding on its parcels, go one
      // after the other, so the derived status and the open-returns check read what is committed
      const fs = await this.repo.lockedFulfillmentsOf(tx, id);
      const targets = moveTargets(scope, fs); // a seller's: 404 unless one is theirs
      for (const f of targets) {
        if (!canMove(f.status, dto.status, scope.who)) {
          throw new DomainError(
            'INVALID_TRANSITION',
            `A fulfillment cannot move from ${f.status} to ${dto.status}`,
            { from: f.status, to: dto.status, seller_id: f.sellerId },
          );
        }
      }
      if (dto.status === 'refunded') await this.refuseOpenReturns(tx, targets);
      const customer = await this.users.findById(order.userId);
      const moves = targets.map((f) => ({
        f,
        to: dto.status,
        trackingNumber: dto.tracking_number,
      }));
      return {
        orderStatus: await this.apply(tx, order, fs, moves, actor, customer, 'INVALID_TRANSITION'),
        sellerIds: targets.map((f) => f.sellerId),
      };
    });
    this.outbox.kick();
    await this.emit(ORDER_STATUS_CHANGED, {
      orderId: id,
      actorId: actor.id,
      orderStatus,
      fulfillmentStatus: dto.status,
      sellerIds,
    } satisfies OrderStatusChangedEvent);
    return this.orders.getForActor(actor, id);
  }

  /** A parcel with a return still open is not refunded whole: the return would pay its lines again. */
  private async refuseOpenReturns(tx: Tx, targets: Fulfillment[]): Promise<void> {
    const open = await this.openReturns.openReturnOf(
      tx,
      targets.map((f) => f.id),
    );
    if (!open) return;
    throw new DomainError(
      'INVALID_TRANSITION',
      `A return of this parcel is ${open.status}: decide or finish it before refunding the parcel`,
      { return_id: open.returnId, return_status: open.status },
    );
  }

  /**
   * Lets other modules react (payments: refund, cash on delivery) after the commit. The change
   * itself is done: a failing listener is logged, and the answer shows the order as it is.
   */
  private async emit(name: string, payload: OrderCancelledEvent | OrderStatusChangedEvent) {
    try {
      await this.events.emitAsync(name, payload);
    } catch (e) {
      this.logger.error(
        `${name} listener failed for order ${payload.orderId}: ${(e as Error).message}`,
      );
    }
  }

  /**
   * Applies moves with conditional updates (a lost race → `raceCode` 409, all rolled back),
   * restocks cancelled parcels, writes history, the derived order status and the customer's mail.
   */
  private async apply(
    tx: Tx,
    order: Order,
    all: Fulfillment[],
    moves: Move[],
    actor: Actor,
    customer: Recipient,
    raceCode: 'ORDER_NOT_CANCELLABLE' | 'INVALID_TRANSITION',
  ): Promise<OrderStatus> {
    const now = this.clock.now();
    const from = new Map(moves.map((m) => [m.f.id, m.f.status]));
    for (const m of moves) {
      const ok = await this.repo.moveFulfillment(
        tx,
        m.f.id,
        m.f.status,
        m.to,
        now,
        m.trackingNumber,
      );
      if (!ok) {
        throw new DomainError(raceCode, 'The order changed meanwhile; reload and try again');
      }
      if (m.trackingNumber) m.f.trackingNumber = m.trackingNumber;
    }
    await this.restockCancelled(tx, order.id, moves, actor.id);
    await this.repo.appendHistory(
      tx,
      moves.map((m) => ({
        id: randomUUID(),
        orderId: order.id,
        status: m.to,
        sellerId: m.f.sellerId,
        changedBy: actor.id,
        note: null,
        at: now,
      })),
    );
    const moved = new Map(moves.map((m) => [m.f.id, m.to]));
    const status = deriveOrderStatus(all.map((f) => moved.get(f.id) ?? f.status));
    await this.repo.setStatus(tx, order.id, status, now);
    // in this transaction, with the order row now locked by it: the seller ledger books here
    await this.events.emitAsync(FULFILLMENTS_MOVED, {
      em: tx,
      orderId: order.id,
      orderStatus: status,
      moves: moves.map((m) => ({
        fulfillmentId: m.f.id,
        sellerId: m.f.sellerId,
        from: from.get(m.f.id)!,
        to: m.to,
        total: Number(m.f.itemsTotal) + Number(m.f.deliveryCost),
      })),
      at: now,
    } satisfies FulfillmentsMovedEvent);
    if (customer) {
      const to = moves[0].to;
      const shippedWith = moves.find((m) => m.to === 'shipped')?.f.trackingNumber ?? null;
      await this.outbox.enqueue(
        tx,
        statusChangeMail(customer.email, customer.firstName, order.trackingNumber, to, shippedWith),
        'order_status',
      );
    }
    return status;
  }

  /** Returns to stock the lines of the sellers whose parcels were cancelled, in lock order. */
  private async restockCancelled(tx: Tx, orderId: string, moves: Move[], actorId: string) {
    const cancelled = new Set(moves.filter((m) => m.to === 'cancelled').map((m) => m.f.sellerId));
    if (!cancelled.size) return;
    const items = await this.repo.itemsOf(tx, orderId);
    const restock = items.filter((x) => cancelled.has(x.sellerId));
    for (const i of restock.sort(byProductId)) {
      await this.inventory.returnStock(tx, {
        productId: i.productId,
        quantity: i.quantity,
        orderId,
        actorId,
      });
    }
  }
}
