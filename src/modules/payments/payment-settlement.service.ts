import { Inject, Injectable, Logger } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UnitOfWork } from '../../database/unit-of-work';
import { OrderPaymentService } from '../orders/order-payment.service';
import { Payment, PaymentStatus } from './payment.entity';
import { PaymentMetrics } from './payment-metrics';
import { PaymentNotifier } from './payment-notifier';
import { PaymentProvider } from './payment-provider';
import { HOLDING_REFUND_STATUSES } from './payment-refund.entity';
import { PaymentRefundsRepository } from './payment-refunds.repository';
import { PaymentSet, PaymentsRepository } from './payments.repository';
import { withTimeout } from './provider-call';

/** Statuses that hold an order's one live payment (the partial unique index). */
export const LIVE_STATUSES: PaymentStatus[] = ['pending', 'processing', 'completed'];

export interface PaymentChange {
  status: PaymentStatus;
  transactionId?: string;
  failureReason?: string | null;
}

/** What one recorded change did. */
interface Recorded {
  changed: boolean;
  orderId?: string;
  /** The order was cancelled or refunded when the change was applied to it. */
  orderClosed?: boolean;
  method?: Payment['paymentMethod'];
}

const setOf = (change: PaymentChange): PaymentSet => {
  const set: PaymentSet = { status: change.status };
  if (change.transactionId) set.transactionId = change.transactionId;
  if (change.failureReason !== undefined) set.failureReason = change.failureReason;
  return set;
};

/**
 * Moves payments between statuses with conditional updates (`WHERE status IN (from)`), so a
 * replayed or out-of-order change finds nothing to change, and applies each change to the order
 * in the same transaction. Provider calls (refunds) happen outside any transaction.
 */
@Injectable()
export class PaymentSettlement {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly partials: PaymentRefundsRepository,
    private readonly uow: UnitOfWork,
    private readonly orders: OrderPaymentService,
    private readonly notifier: PaymentNotifier,
    private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: PaymentMetrics,
  ) {}

  /**
   * Changes the payment if it is still in one of `from`; returns the payment as it is now and
   * whether this call changed it. A payment that went live (completed, pending) on an order
   * cancelled meanwhile is given back: refunded, or closed when nothing was collected.
   */
  async settle(
    paymentId: string,
    from: PaymentStatus[],
    change: PaymentChange,
    actorId: string | null,
  ): Promise<{ payment: Payment; changed: boolean }> {
    const done = await this.record(paymentId, from, change, actorId);
    const live = change.status === 'completed' || change.status === 'pending';
    if (done.changed && live && done.orderClosed) {
      await this.refundOrderPayment(done.orderId!, actorId);
    }
    const payment = await this.repo.byId(paymentId);
    if (!payment) throw new Error(`payment ${paymentId} vanished`);
    return { payment, changed: done.changed };
  }

  /**
   * Refunds the order's completed payment through the provider, once: the payment is claimed
   * (completed → refunded) before the provider is called, and put back if the provider fails.
   * Pending payments of the order (kaspi, cash on delivery) are closed as failed (order_cancelled).
   */
  async refundOrderPayment(orderId: string, actorId: string | null): Promise<void> {
    await this.closePending(orderId, actorId);
    const paid = await this.repo.oneOfOrder(orderId, ['completed']);
    if (!paid) return;
    if (!(await this.claimRefund(paid))) return; // another process refunds it
    // what returns already gave back (or are giving back) of this payment is not paid again
    const taken = await this.uow.run((tx) =>
      this.partials.totalOf(tx, paid.id, HOLDING_REFUND_STATUSES),
    );
    const left = refundLeft(paid.amount, taken);
    const refunded = left === 0 ? true : await this.callRefund(paid, left);
    await this.finishRefund(paid, refunded, actorId, left);
  }

  /** A pending cash-on-delivery payment completes when its order is delivered. */
  async completeCashOnDelivery(orderId: string, actorId: string | null): Promise<void> {
    const p = await this.repo.pendingCashOnDelivery(orderId);
    if (p) await this.settle(p.id, ['pending'], { status: 'completed' }, actorId);
  }

  /**
   * Step of every settlement: in one transaction, the conditional change of the payment, its
   * outcome applied to the order and the customer's mail queued; the mail is sent after commit.
   */
  private async record(
    paymentId: string,
    from: PaymentStatus[],
    change: PaymentChange,
    actorId: string | null,
  ): Promise<Recorded> {
    const done = await this.uow.run(async (tx): Promise<Recorded> => {
      if (!(await this.repo.move(tx, paymentId, from, setOf(change)))) return { changed: false };
      const p = (await this.repo.byId(paymentId, tx))!;
      const outcome = await this.orders.applyPaymentOutcome(tx, p.orderId, change.status, actorId);
      await this.notifier.queue(tx, change.status, outcome, p.amount);
      return {
        changed: true,
        orderId: p.orderId,
        orderClosed: outcome.orderClosed,
        method: p.paymentMethod,
      };
    });
    if (done.changed) {
      this.metrics.payment(done.method!, change.status);
      this.notifier.kick();
    }
    return done;
  }

  /** Closes the order's pending payments (nothing was collected): failed, order_cancelled. */
  private async closePending(orderId: string, actorId: string | null): Promise<void> {
    for (const p of await this.repo.pendingOfOrder(orderId)) {
      await this.record(
        p.id,
        ['pending'],
        { status: 'failed', failureReason: 'order_cancelled' },
        actorId,
      );
    }
  }

  /** Claims the refund (completed → refunded) so no other process refunds the same payment. */
  private claimRefund(paid: Payment): Promise<boolean> {
    return this.uow.run((tx) => this.repo.move(tx, paid.id, ['completed'], { status: 'refunded' }));
  }

  /** The provider's refund, bounded in time; true when the money went back. */
  private async callRefund(paid: Payment, amount: number): Promise<boolean> {
    try {
      const r = await withTimeout(
        this.provider.refund({
          transactionId: paid.transactionId,
          amount,
          method: paid.paymentMethod,
          reference: paid.id,
        }),
        this.config.payments.timeoutMs,
      );
      if (r.status === 'refunded') return true;
      this.logger.error(`refund of payment ${paid.id} refused: ${r.failure_reason ?? '?'}`);
    } catch (e) {
      this.logger.error(`refund of payment ${paid.id} failed: ${(e as Error).message}`);
    }
    return false;
  }

  /** Refunded: the order learns it and the customer is mailed. Else the claim is put back. */
  private async finishRefund(
    paid: Payment,
    refunded: boolean,
    actorId: string | null,
    amount: number,
  ) {
    this.metrics.refund('order', refunded ? 'completed' : 'failed');
    await this.uow.run(async (tx) => {
      if (!refunded) {
        // put it back so the refund can be retried (by an operator or the next sweep)
        await this.repo.unclaimRefund(tx, paid.id);
        return;
      }
      const outcome = await this.orders.applyPaymentOutcome(tx, paid.orderId, 'refunded', actorId);
      await this.notifier.queue(tx, 'refunded', outcome, amount);
    });
    if (refunded) this.notifier.kick();
  }
}

/** What a whole-order refund still owes the buyer: the payment less what returns refunded (≥ 0). */
export function refundLeft(paid: number, alreadyRefunded: number): number {
  return Math.max(0, paid - alreadyRefunded);
}
