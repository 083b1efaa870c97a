import { Injectable, Logger } from '@nestjs/common';
import { byProductId } from './lock-order';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { insertRows } from '../../database/insert-rows';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { ORDER_CANCELLED, ORDER_STATUS_CHANGED } from '../../common/events';
import type { OrderCancelledEvent, OrderStatusChangedEvent } from '../../common/events';
import { UnitOfWork } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import { statusChangeMail } from '../email/templates';
import { ProductInventoryService } from '../products/product-inventory.service';
import type { Actor } from '../../common/auth/actor';
import { UsersService } from '../users/users.service';
import { ChangeOrderStatusDto } from './dto/order.dto';
import { OrderResponse } from './dto/order.response';
import { Fulfillment, Order, OrderItem, OrderStatus, OrderStatusHistory } from './order.entity';
import { OrderReader } from './order-reader';
import { canMove, CUSTOMER_CANCELLABLE, deriveOrderStatus } from './order-workflow';
import { OrdersService } from './orders.service';

interface Move {
  f: Fulfillment;
  to: OrderStatus;
  trackingNumber?: string;
}

/**
 * Moves fulfillments along the workflow (order-workflow.ts) with conditional updates, so two
 * racing changes of one fulfillment cannot both apply (a racing double cancel restocks once).
 */
@Injectable()
export class OrderWorkflowService {
  private readonly logger = new Logger('OrderWorkflow');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly reader: OrderReader,
    private readonly orders: OrdersService,
    private readonly inventory: ProductInventoryService,
    private readonly outbox: MailOutboxService,
    private readonly users: UsersService,
    private readonly events: EventEmitter2,
  ) {}

  /** PUT /orders/{id}/cancel: the owner cancels while every fulfillment is pending or confirmed. */
  async cancel(actor: Actor, id: string): Promise<OrderResponse> {
    await this.uow.run(async (em) => {
      const order = await em.findOneBy(Order, { id });
      if (!order || order.userId !== actor.id) throw notFound('Order');
      const fs = await em.findBy(Fulfillment, { orderId: id });
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
      await this.apply(
        em,
        order,
        fs,
        live.map((f) => ({ f, to: 'cancelled' as const })),
        actor,
        actor,
        'ORDER_NOT_CANCELLABLE',
      );
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
    const who = actor.role === 'admin' ? 'admin' : 'seller';
    if (who === 'seller' && dto.seller_id && dto.seller_id !== actor.id) {
      throw new DomainError('BAD_REQUEST', 'seller_id may only be given by an admin');
    }
    const head = await this.reader.loadOne(id);
    if (!head) throw notFound('Order');
    const customer = await this.users.findById(head.order.userId);
    let sellerIds: string[] = [];
    let orderStatus: OrderStatus = head.order.status;
    await this.uow.run(async (em) => {
      const order = await em.findOneBy(Order, { id });
      if (!order) throw notFound('Order');
      const fs = await em.findBy(Fulfillment, { orderId: id });
      const sellerId = who === 'seller' ? actor.id : dto.seller_id;
      const targets = sellerId
        ? fs.filter((f) => f.sellerId === sellerId)
        : fs.filter((f) => f.status !== 'cancelled');
      if (sellerId && !targets.length) throw notFound('Order');
      if (!targets.length) {
        throw new DomainError('INVALID_TRANSITION', 'Every fulfillment of this order is cancelled');
      }
      for (const f of targets) {
        if (!canMove(f.status, dto.status, who)) {
          throw new DomainError(
            'INVALID_TRANSITION',
            `A fulfillment cannot move from ${f.status} to ${dto.status}`,
            { from: f.status, to: dto.status, seller_id: f.sellerId },
          );
        }
      }
      orderStatus = await this.apply(
        em,
        order,
        fs,
        targets.map((f) => ({ f, to: dto.status, trackingNumber: dto.tracking_number })),
        actor,
        customer,
        'INVALID_TRANSITION',
      );
      sellerIds = targets.map((f) => f.sellerId);
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
    em: EntityManager,
    order: Order,
    all: Fulfillment[],
    moves: Move[],
    actor: Actor,
    customer: Actor | null,
    raceCode: 'ORDER_NOT_CANCELLABLE' | 'INVALID_TRANSITION',
  ): Promise<OrderStatus> {
    const now = new Date();
    for (const m of moves) {
      const set: Partial<Fulfillment> = { status: m.to, updatedAt: now };
      if (m.trackingNumber) set.trackingNumber = m.trackingNumber;
      const res = await em
        .createQueryBuilder()
        .update(Fulfillment)
        .set(set)
        .where('id = :id AND status = :from', { id: m.f.id, from: m.f.status })
        .execute();
      if (res.affected !== 1) {
        throw new DomainError(raceCode, 'The order changed meanwhile; reload and try again');
      }
      if (m.trackingNumber) m.f.trackingNumber = m.trackingNumber;
    }
    const cancelled = new Set(moves.filter((m) => m.to === 'cancelled').map((m) => m.f.sellerId));
    if (cancelled.size) {
      const items = await em.findBy(OrderItem, { orderId: order.id });
      const restock = items.filter((x) => cancelled.has(x.sellerId));
      for (const i of restock.sort(byProductId)) {
        await this.inventory.returnStock(em, {
          productId: i.productId,
          quantity: i.quantity,
          orderId: order.id,
          actorId: actor.id,
        });
      }
    }
    await insertRows(
      em,
      OrderStatusHistory,
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
    await em.update(Order, { id: order.id }, { status, updatedAt: now });
    if (customer) {
      const to = moves[0].to;
      const shippedWith = moves.find((m) => m.to === 'shipped')?.f.trackingNumber ?? null;
      await this.outbox.enqueue(
        em,
        statusChangeMail(customer.email, customer.firstName, order.trackingNumber, to, shippedWith),
        'order_status',
      );
    }
    return status;
  }
}
