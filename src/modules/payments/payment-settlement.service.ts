import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UnitOfWork } from '../../database/unit-of-work';
import { OrderPaymentService } from '../orders/order-payment.service';
import { Payment, PaymentStatus } from './payment.entity';
import { PaymentProvider } from './payment-provider';
import { withTimeout } from './provider-call';

/** Statuses that hold an order's one live payment (the partial unique index). */
export const LIVE_STATUSES: PaymentStatus[] = ['pending', 'processing', 'completed'];

export interface PaymentChange {
  status: PaymentStatus;
  transactionId?: string;
  failureReason?: string | null;
}

/**
 * Moves payments between statuses with conditional updates (`WHERE status IN (from)`), so a
 * replayed or out-of-order change finds nothing to change, and applies each change to the order
 * in the same transaction. Provider calls (refunds) happen outside any transaction.
 */
@Injectable()
export class PaymentSettlement {
  private readonly logger = new Logger('Payments');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly orders: OrderPaymentService,
    private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Changes the payment if it is still in one of `from`; returns the payment as it is now and
   * whether this call changed it. A completed payment of an order cancelled meanwhile is refunded.
   */
  async settle(
    paymentId: string,
    from: PaymentStatus[],
    change: PaymentChange,
    actorId: string | null,
  ): Promise<{ payment: Payment; changed: boolean }> {
    const { changed, orderStatus } = await this.uow.run(async (em) => {
      const set: Partial<Payment> = { status: change.status, updatedAt: new Date() };
      if (change.transactionId) set.transactionId = change.transactionId;
      if (change.failureReason !== undefined) set.failureReason = change.failureReason;
      const res = await em
        .createQueryBuilder()
        .update(Payment)
        .set(set)
        .where('id = :id AND status IN (:...from)', { id: paymentId, from })
        .execute();
      if (res.affected !== 1) return { changed: false, orderStatus: null };
      const p = await em.findOneByOrFail(Payment, { id: paymentId });
      const applied = await this.orders.applyPaymentStatus(
        em,
        p.orderId,
        change.status,
        actorId,
        p.amount,
      );
      return { changed: true, orderStatus: applied.orderStatus };
    });
    if (changed) this.orders.kickMail();
    let payment = await this.ds.getRepository(Payment).findOneByOrFail({ id: paymentId });
    const live = change.status === 'completed' || change.status === 'pending';
    if (changed && live && (orderStatus === 'cancelled' || orderStatus === 'refunded')) {
      // The order was cancelled while the charge ran: give the money back, close what is pending.
      await this.refundOrderPayment(payment.orderId, actorId);
      payment = await this.ds.getRepository(Payment).findOneByOrFail({ id: paymentId });
    }
    return { payment, changed };
  }

  /**
   * Refunds the order's completed payment through the provider, once: the payment is claimed
   * (completed → refunded) before the provider is called, and put back if the provider fails.
   * Pending payments of the order (kaspi, cash on delivery) are closed as failed (order_cancelled).
   */
  async refundOrderPayment(orderId: string, actorId: string | null): Promise<void> {
    await this.closePending(orderId, actorId);
    const paid = await this.ds.getRepository(Payment).findOneBy({ orderId, status: 'completed' });
    if (!paid) return;
    const claimed = await this.uow.run(async (em) => {
      const res = await em
        .createQueryBuilder()
        .update(Payment)
        .set({ status: 'refunded', updatedAt: new Date() })
        .where('id = :id AND status = :s', { id: paid.id, s: 'completed' })
        .execute();
      return res.affected === 1;
    });
    if (!claimed) return; // another process refunds it
    let ok = false;
    try {
      const r = await withTimeout(
        this.provider.refund({
          transactionId: paid.transactionId,
          amount: paid.amount,
          method: paid.paymentMethod,
          reference: paid.id,
        }),
        this.config.payments.timeoutMs,
      );
      ok = r.status === 'refunded';
      if (!ok)
        this.logger.error(`refund of payment ${paid.id} refused: ${r.failure_reason ?? '?'}`);
    } catch (e) {
      this.logger.error(`refund of payment ${paid.id} failed: ${(e as Error).message}`);
    }
    await this.uow.run(async (em) => {
      if (ok) {
        await this.orders.applyPaymentStatus(em, orderId, 'refunded', actorId, paid.amount);
      } else {
        // Put it back so the refund can be retried (by an operator or the next trigger).
        await em.update(Payment, { id: paid.id, status: 'refunded' }, { status: 'completed' });
      }
    });
    if (ok) this.orders.kickMail();
  }

  /** A pending cash-on-delivery payment completes when its order is delivered. */
  async completeCashOnDelivery(orderId: string, actorId: string | null): Promise<void> {
    const p = await this.ds.getRepository(Payment).findOneBy({
      orderId,
      paymentMethod: 'cash_on_delivery',
      status: 'pending',
    });
    if (p) await this.settle(p.id, ['pending'], { status: 'completed' }, actorId);
  }

  /** Closes the order's pending payments (nothing was collected): failed, order_cancelled. */
  private async closePending(orderId: string, actorId: string | null): Promise<void> {
    const pending = await this.ds
      .getRepository(Payment)
      .findBy({ orderId, status: In(['pending']) });
    for (const p of pending) {
      await this.settle(
        p.id,
        ['pending'],
        { status: 'failed', failureReason: 'order_cancelled' },
        actorId,
      );
    }
  }
}
