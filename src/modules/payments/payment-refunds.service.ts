import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { isUniqueViolation } from '../../database/db-errors';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { OrderPaymentService } from '../orders/order-payment.service';
import type { Payment, PaymentMethod } from './payment.entity';
import { PaymentMetrics } from './payment-metrics';
import { PaymentProvider } from './payment-provider';
import type { PaymentRefund } from './payment-refund.entity';
import { HOLDING_REFUND_STATUSES } from './payment-refund.entity';
import { PaymentRefundsRepository } from './payment-refunds.repository';
import { PaymentsRepository } from './payments.repository';
import { withTimeout } from './provider-call';

/** A partial refund of an order's captured payment, keyed by the caller's reference. */
export interface PartialRefund {
  orderId: string;
  /** Integer tiyn, > 0. */
  amount: number;
  /** The idempotency key (one refund per reference), sent to the provider. */
  reference: string;
  /** The parcel (fulfillment) whose money goes back. */
  fulfillmentId?: string;
  /**
   * Ask only if the refund row is still as the caller saw it (a sweep's pick): another process
   * that claimed it meanwhile is left to finish it.
   */
  seen?: Pick<PaymentRefund, 'status' | 'attempts'>;
}

/** A parcel of an order that stays open, cancelled or refunded: its money is owed to the buyer. */
export interface OwedParcel {
  fulfillmentId: string;
  /** Integer tiyn: the parcel's items_total + delivery_cost. */
  total: number;
}

export interface PartialRefundOutcome {
  status: 'completed' | 'failed' | 'manual';
  failureReason?: string;
}

/** What `claim` decided: an answer without the provider, or a refund to ask it for. */
type Claim =
  | { answer: PartialRefundOutcome; /** a new manual refund was written */ recorded?: boolean }
  | { ask: PaymentRefund; payment: Payment };

/**
 * Partial refunds of a captured payment (a return of some lines), one `refunds` row per
 * reference. The row is written (or re-claimed) before the provider is asked, so a retry with the
 * same reference never pays twice: a completed refund answers `completed` without calling the
 * provider; a failed or interrupted one is asked again with the same reference as idempotency
 * key. Cash on delivery cannot go back through the provider: `manual`, paid out of band.
 */
@Injectable()
export class PaymentRefundsService {
  private readonly logger = new Logger('Refunds');

  constructor(
    private readonly refunds: PaymentRefundsRepository,
    private readonly payments: PaymentsRepository,
    private readonly orders: OrderPaymentService,
    private readonly provider: PaymentProvider,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: PaymentMetrics,
  ) {}

  /** The method of the order's captured payment, or null when nothing was captured. */
  async capturedMethodOf(orderId: string, tx?: Tx): Promise<PaymentMethod | null> {
    const paid = await this.payments.oneOfOrder(orderId, ['completed', 'refunded'], tx);
    return paid?.paymentMethod ?? null;
  }

  /** Refunds `amount` of the order's captured payment, once per reference. Outside transactions. */
  async refund(r: PartialRefund): Promise<PartialRefundOutcome> {
    const claim = await this.claim(r);
    if ('answer' in claim) {
      if (claim.recorded) this.metrics.refund('partial', 'manual');
      return claim.answer;
    }
    const { ask, payment } = claim;
    let failure: string;
    try {
      const res = await withTimeout(
        this.provider.refund({
          transactionId: payment.transactionId,
          amount: ask.amount,
          method: payment.paymentMethod,
          reference: ask.reference,
        }),
        this.config.payments.timeoutMs,
      );
      if (res.status === 'refunded') {
        await this.uow.run(async (tx) => {
          const set = {
            status: 'completed' as const,
            providerRefundId: res.refund_id?.slice(0, 64) ?? null,
            failureReason: null,
          };
          const booked = await this.refunds.move(tx, ask.id, ['pending'], set, ask.attempts);
          // a parcel refund has no caller to book it: the order learns it with the row
          if (booked && ask.kind === 'parcel') await this.markRefunded(tx, r);
        });
        this.metrics.refund('partial', 'completed');
        return { status: 'completed' };
      }
      failure = res.failure_reason ?? 'refund refused';
    } catch (e) {
      failure = (e as Error).message;
    }
    this.logger.warn(`refund ${ask.reference} of order ${r.orderId} failed: ${failure}`);
    this.metrics.refund('partial', 'failed');
    await this.uow.run((tx) =>
      this.refunds.move(
        tx,
        ask.id,
        ['pending'],
        { status: 'failed', failureReason: failure.slice(0, 200) },
        ask.attempts,
      ),
    );
    return { status: 'failed', failureReason: failure };
  }

  /**
   * In the caller's transaction, once the refund `reference` is paid (a manual one: now marked
   * paid): the order's payment status becomes `refunded` when its payment's refunds reach the
   * captured amount (the payment too), else `partially_refunded`. Idempotent.
   */
  async markRefunded(tx: Tx, r: PartialRefund): Promise<void> {
    const row = await this.refunds.byReference(r.reference, tx);
    if (row?.status === 'manual')
      await this.refunds.move(tx, row.id, ['manual'], { status: 'paid' });
    if (!row?.paymentId) return;
    const payment = await this.payments.byId(row.paymentId, tx);
    if (!payment) return;
    const paid = await this.refunds.totalOf(tx, payment.id, ['completed', 'paid']);
    const whole = paid >= Number(payment.amount);
    if (whole) await this.payments.move(tx, payment.id, ['completed'], { status: 'refunded' });
    await this.orders.applyRefundStatus(tx, r.orderId, whole ? 'refunded' : 'partially_refunded');
  }

  /**
   * In the transaction that cancelled or refunded `parcels` of an order that stays open (a closed
   * order's payment is refunded whole, less its refunds): each parcel's money still held — its
   * total less its refunds so far (returns), never more than is left of the payment — becomes a
   * `pending` parcel refund (reference = the fulfillment id), asked of the provider after the
   * commit (`refund`) or by the recovery sweep; `manual` for cash on delivery. Nothing when the
   * order's payment is not captured; a cash-on-delivery payment still `pending` collects those
   * parcels' totals less instead (the order stays open, so another parcel is still to collect).
   */
  async oweParcels(tx: Tx, orderId: string, parcels: OwedParcel[]): Promise<PartialRefund[]> {
    if (!parcels.length) return [];
    const payment = await this.payments.oneOfOrder(orderId, ['completed', 'pending'], tx);
    if (payment?.status === 'pending' && payment.paymentMethod === 'cash_on_delivery') {
      // nothing collected yet: the courier collects the parcels that go on only
      const less = parcels.reduce((sum, p) => sum + p.total, 0);
      await this.payments.collectLess(tx, payment.id, less);
      return [];
    }
    if (payment?.status !== 'completed') return [];
    let left =
      Number(payment.amount) -
      (await this.refunds.totalOf(tx, payment.id, HOLDING_REFUND_STATUSES));
    const owed: PartialRefund[] = [];
    for (const p of parcels) {
      const amount = Math.min(
        left,
        p.total - (await this.refunds.totalOfParcel(tx, p.fulfillmentId)),
      );
      if (amount <= 0) continue;
      left -= amount;
      const manual = payment.paymentMethod === 'cash_on_delivery';
      await this.refunds.insert(tx, {
        id: randomUUID(),
        reference: p.fulfillmentId,
        paymentId: payment.id,
        orderId,
        fulfillmentId: p.fulfillmentId,
        kind: 'parcel',
        amount,
        status: manual ? 'manual' : 'pending',
        providerRefundId: null,
        failureReason: null,
        attempts: 0,
      });
      if (!manual)
        owed.push({ orderId, amount, reference: p.fulfillmentId, fulfillmentId: p.fulfillmentId });
    }
    return owed;
  }

  /** Decides, in one transaction, whether the provider is to be asked (and claims the row). */
  private async claim(r: PartialRefund, again = true): Promise<Claim> {
    try {
      return await this.uow.run((tx) => this.claimIn(tx, r));
    } catch (e) {
      // another call inserted the same reference first: decide again on its row
      if (again && isUniqueViolation(e)) return this.claim(r, false);
      throw e;
    }
  }

  private async claimIn(tx: Tx, r: PartialRefund): Promise<Claim> {
    const known = await this.refunds.byReference(r.reference, tx);
    if (known && r.seen && (known.status !== r.seen.status || known.attempts !== r.seen.attempts)) {
      return { answer: { status: 'failed', failureReason: 'refund changed meanwhile' } };
    }
    if (known) {
      switch (known.status) {
        case 'completed':
        case 'paid':
          return { answer: { status: 'completed' } };
        case 'manual':
          return { answer: { status: 'manual' } };
        case 'pending':
        case 'failed': {
          const payment = known.paymentId ? await this.payments.byId(known.paymentId, tx) : null;
          if (!payment) return { answer: { status: 'manual' } };
          const set = { status: 'pending' as const, attempts: known.attempts + 1 };
          // one claim per attempt: a request and a sweep racing for it, only one asks
          if (!(await this.refunds.move(tx, known.id, [known.status], set, known.attempts))) {
            return { answer: { status: 'failed', failureReason: 'refund changed meanwhile' } };
          }
          return { ask: { ...known, ...set }, payment };
        }
      }
    }
    const payment = await this.payments.oneOfOrder(r.orderId, ['completed'], tx);
    const row = {
      id: randomUUID(),
      reference: r.reference,
      paymentId: payment?.id ?? null,
      orderId: r.orderId,
      fulfillmentId: r.fulfillmentId ?? null,
      kind: 'return' as const,
      amount: r.amount,
      providerRefundId: null,
      failureReason: null,
    };
    if (!payment || payment.paymentMethod === 'cash_on_delivery') {
      await this.refunds.insert(tx, { ...row, status: 'manual', attempts: 0 });
      return { answer: { status: 'manual' }, recorded: true };
    }
    const held = await this.refunds.totalOf(tx, payment.id, HOLDING_REFUND_STATUSES);
    if (held + r.amount > Number(payment.amount)) {
      const refundable = Number(payment.amount) - held;
      return {
        answer: { status: 'failed', failureReason: `only ${refundable} tiyn left to refund` },
      };
    }
    const ask = { ...row, status: 'pending' as const, attempts: 1 };
    await this.refunds.insert(tx, ask);
    return { ask: { ...ask, createdAt: new Date(), updatedAt: new Date() }, payment };
  }
}
