import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { insertRows } from '../../database/insert-rows';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { MailOutboxService } from '../email/mail-outbox.service';
import type { PaymentStatus } from '../payments/payment.entity';
import { paymentMail } from '../payments/payment-mails';
import type { Actor } from '../../common/auth/actor';
import { UsersService } from '../users/users.service';
import { Fulfillment, Order, OrderStatus, OrderStatusHistory } from './order.entity';
import { deriveOrderStatus } from './order-workflow';

/** Orders that can take no new payment. */
const UNPAYABLE: readonly OrderStatus[] = ['cancelled', 'refunded'];

/** The history note written for each payment change. */
const NOTES: Partial<Record<PaymentStatus, string>> = {
  completed: 'payment completed',
  refunded: 'payment refunded',
};

export interface AppliedPayment {
  /** The order's status after the change. */
  orderStatus: OrderStatus;
}

/**
 * The order side of payments (owned by the payments work): finding an order to pay and applying
 * a payment's outcome to the order inside the payment's transaction.
 */
@Injectable()
export class OrderPaymentService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly outbox: MailOutboxService,
  ) {}

  /** The order if the actor owns it (admins: any order); else 404. */
  async findVisible(em: EntityManager, actor: Actor, orderId: string): Promise<Order> {
    const order = await em.findOneBy(Order, { id: orderId });
    if (!order || (order.userId !== actor.id && actor.role !== 'admin')) throw notFound('Order');
    return order;
  }

  /** The actor's own order, if it can take a payment: 404 when not theirs, 409 when not payable. */
  async findPayable(em: EntityManager, actor: Actor, orderId: string): Promise<Order> {
    const order = await em.findOneBy(Order, { id: orderId });
    if (!order || order.userId !== actor.id) throw notFound('Order');
    if (UNPAYABLE.includes(order.status)) {
      throw new DomainError('ORDER_NOT_PAYABLE', `A ${order.status} order cannot be paid`);
    }
    return order;
  }

  /**
   * Applies a payment's new status to its order, inside the payment's transaction: sets
   * `orders.payment_status`; on `completed` moves pending fulfillments to `confirmed` (conditional
   * updates) and recomputes the order status; writes history rows for completed/refunded payments
   * and queues the customer's mail (completed, failed, refunded). Call `outbox.kick()` after commit.
   */
  async applyPaymentStatus(
    em: EntityManager,
    orderId: string,
    status: PaymentStatus,
    actorId: string | null,
    amount?: number,
  ): Promise<AppliedPayment> {
    const order = await em.findOneBy(Order, { id: orderId });
    if (!order) throw notFound('Order');
    const now = new Date();
    const history: Partial<OrderStatusHistory>[] = [];
    let orderStatus = order.status;
    if (status === 'completed') {
      const fs = await em.findBy(Fulfillment, { orderId });
      const statuses = new Map(fs.map((f) => [f.id, f.status]));
      for (const f of fs.filter((x) => x.status === 'pending')) {
        const res = await em
          .createQueryBuilder()
          .update(Fulfillment)
          .set({ status: 'confirmed', updatedAt: now })
          .where('id = :id AND status = :from', { id: f.id, from: 'pending' })
          .execute();
        if (res.affected !== 1) continue; // moved meanwhile (e.g. cancelled): leave it
        statuses.set(f.id, 'confirmed');
        history.push({ status: 'confirmed', sellerId: f.sellerId });
      }
      orderStatus = deriveOrderStatus([...statuses.values()]);
    }
    const note = NOTES[status];
    if (note && !history.length) history.push({ status: orderStatus, sellerId: null });
    if (history.length) {
      await insertRows(
        em,
        OrderStatusHistory,
        history.map((h) => ({
          id: randomUUID(),
          orderId,
          status: h.status!,
          sellerId: h.sellerId ?? null,
          changedBy: actorId,
          note: note ?? null,
          at: now,
        })),
      );
    }
    await em.update(
      Order,
      { id: orderId },
      { paymentStatus: status, status: orderStatus, updatedAt: now },
    );
    const mailed =
      status === 'completed' ||
      status === 'refunded' ||
      (status === 'failed' && !UNPAYABLE.includes(orderStatus));
    if (mailed) {
      const customer = await this.users.findById(order.userId);
      if (customer) {
        await this.outbox.enqueue(
          em,
          paymentMail(customer.email, customer.firstName, {
            orderRef: order.trackingNumber,
            status,
            amount: amount ?? order.totalAmount,
            orderStatus,
          }),
          `payment_${status}`,
        );
      }
    }
    return { orderStatus };
  }

  /** Queues delivery of the mails written by applyPaymentStatus (call after the commit). */
  /** Orders that are cancelled or refunded but still hold a completed payment (a refund owed). */
  async ordersOwingRefund(limit: number): Promise<string[]> {
    const rows: { order_id: string }[] = await this.ds.query(
      `SELECT p.order_id FROM payments p JOIN orders o ON o.id = p.order_id
        WHERE p.status = 'completed' AND o.status IN ('cancelled', 'refunded')
        ORDER BY p.updated_at LIMIT ${Number(limit)}`,
    );
    return rows.map((r) => r.order_id);
  }

  kickMail(): void {
    this.outbox.kick();
  }
}
