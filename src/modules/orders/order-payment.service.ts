import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { OrderPaymentAppliedEvent } from '../../common/events';
import { ORDER_PAYMENT_APPLIED } from '../../common/events';
import type { Tx } from '../../database/unit-of-work';
import type { Order, OrderPaymentStatus, OrderStatus } from './order.entity';
import { isOwner, isOwnerOrAdmin, orNotFound } from './order-access';
import { CLOSED_ORDER_STATUSES, deriveOrderStatus } from './order-workflow';
import { HistoryRow, OrdersRepository } from './orders.repository';

/** What payments needs of an order: whose it is, what it costs, where it stands. */
export type PayableOrder = Pick<
  Order,
  'id' | 'userId' | 'status' | 'totalAmount' | 'trackingNumber'
>;

/** The order after a payment outcome was applied: what payments mails the customer about. */
export interface PaymentOutcome {
  /** The order's status after the change. */
  orderStatus: OrderStatus;
  customerId: string;
  /** The order's reference (tracking number), for the mail. */
  orderRef: string;
  /** tiyn */
  totalAmount: number;
  /** The order is cancelled or refunded: it takes no payment and should hold none. */
  orderClosed: boolean;
}

/** The history note written for each payment change. */
const NOTES: Partial<Record<OrderPaymentStatus, string>> = {
  completed: 'payment completed',
  refunded: 'payment refunded',
};

const narrow = (o: Order): PayableOrder => ({
  id: o.id,
  userId: o.userId,
  status: o.status,
  totalAmount: o.totalAmount,
  trackingNumber: o.trackingNumber,
});

/**
 * The order side of payments, exported to the payments module (which owns the payments table;
 * this module never reads it): finding an order to pay, and applying a payment's outcome to the
 * order inside the payment's transaction.
 */
@Injectable()
export class OrderPaymentService {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly events: EventEmitter2,
  ) {}

  /** The order if the actor owns it (admins: any order); else 404. */
  async findVisible(tx: Tx | undefined, actor: Actor, orderId: string): Promise<PayableOrder> {
    const order = await this.repo.orderById(orderId, tx);
    return narrow(orNotFound(order, (o) => isOwnerOrAdmin(actor, o)));
  }

  /** The actor's own order, if it can take a payment: 404 when not theirs, 409 when not payable. */
  async findPayable(tx: Tx, actor: Actor, orderId: string): Promise<PayableOrder> {
    const order = orNotFound(await this.repo.orderById(orderId, tx), (o) => isOwner(actor, o));
    if (CLOSED_ORDER_STATUSES.includes(order.status)) {
      throw new DomainError('ORDER_NOT_PAYABLE', `A ${order.status} order cannot be paid`);
    }
    return narrow(order);
  }

  /**
   * Applies a payment's new status to its order, inside the payment's transaction: sets
   * `orders.payment_status`; on `completed` moves pending fulfillments to `confirmed` (conditional
   * updates: one cancelled meanwhile stays cancelled) and recomputes the order status; writes
   * history for completed and refunded payments.
   */
  async applyPaymentOutcome(
    tx: Tx,
    orderId: string,
    status: OrderPaymentStatus,
    actorId: string | null,
  ): Promise<PaymentOutcome> {
    const order = await this.repo.orderById(orderId, tx);
    if (!order) throw notFound('Order');
    const now = new Date();
    const history: Pick<HistoryRow, 'status' | 'sellerId'>[] = [];
    let orderStatus = order.status;
    if (status === 'completed') {
      const fs = await this.repo.fulfillmentsOf(tx, orderId);
      const statuses = new Map(fs.map((f) => [f.id, f.status]));
      for (const f of fs.filter((x) => x.status === 'pending')) {
        if (!(await this.repo.moveFulfillment(tx, f.id, 'pending', 'confirmed', now))) continue;
        statuses.set(f.id, 'confirmed');
        history.push({ status: 'confirmed', sellerId: f.sellerId });
      }
      orderStatus = deriveOrderStatus([...statuses.values()]);
    }
    const note = NOTES[status] ?? null;
    if (note && !history.length) history.push({ status: orderStatus, sellerId: null });
    await this.repo.appendHistory(
      tx,
      history.map((h) => ({ ...h, id: randomUUID(), orderId, changedBy: actorId, note, at: now })),
    );
    await this.repo.setPaymentStatus(tx, orderId, status, orderStatus, now);
    // in the payment's transaction, with the order row now locked by it (finance books sales)
    await this.events.emitAsync(ORDER_PAYMENT_APPLIED, {
      em: tx,
      orderId,
      paymentStatus: status,
    } satisfies OrderPaymentAppliedEvent);
    return {
      orderStatus,
      customerId: order.userId,
      orderRef: order.trackingNumber,
      totalAmount: order.totalAmount,
      orderClosed: CLOSED_ORDER_STATUSES.includes(orderStatus),
    };
  }

  /**
   * Orders that are cancelled or refunded while their payment status is still `completed`: where
   * a refund may be owed (the payments module checks its own payments). Normally none.
   */
  closedWithCompletedPayment(): Promise<string[]> {
    return this.repo.closedWithCompletedPayment();
  }

  /**
   * A refund of part (`partially_refunded`) or all (`refunded`) of the order's captured payment,
   * inside the refund's transaction: only the order's payment status changes (the goods came back
   * through a return; no fulfillment moves).
   */
  async applyRefundStatus(
    tx: Tx,
    orderId: string,
    status: Extract<OrderPaymentStatus, 'partially_refunded' | 'refunded'>,
  ): Promise<void> {
    await this.repo.setPaymentStatusOnly(tx, orderId, status, new Date());
  }
}
