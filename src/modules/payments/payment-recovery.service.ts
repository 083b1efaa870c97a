import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';

import { PeriodicPass } from '../../common/concurrency/periodic-pass';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { OrderPaymentService } from '../orders/order-payment.service';
import { ParcelRefunds } from './parcel-refunds.service';
import { PaymentProvider } from './payment-provider';
import { PaymentSettlement } from './payment-settlement.service';
import { PaymentsRepository } from './payments.repository';
import { withTimeout } from './provider-call';

const BATCH = 50;
const MAX_REFUND_BACKOFF_MS = 5 * 60_000;

/**
 * Settles what a crash or a failing provider left open, on start and then every few seconds:
 * - a payment still `processing` well after any provider call could have answered (the process
 *   died between the charge and recording it) is settled from the provider's own record
 *   (`lookup`), or closed as failed (`interrupted`) when the provider never saw it — so it no
 *   longer blocks its order;
 * - a completed payment of a cancelled or refunded order (the refund failed at that moment) is
 *   refunded again, with exponential backoff per order, until the provider makes it;
 * - a parcel refund that failed, or that a crash left pending, is asked again (ParcelRefunds).
 * Every change is the same conditional settlement the request paths use, so several processes
 * sweeping at once change each payment once.
 */
@Injectable()
export class PaymentRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PaymentRecovery');
  private readonly refundBackoff = new Map<string, { attempts: number; next: number }>();
  private readonly periodic = new PeriodicPass(
    'recovery pass',
    async () => {
      await this.settleInterrupted();
      await this.retryRefunds();
      if (!this.periodic.stopped) await this.parcels.retryOpen(BATCH);
    },
    this.logger,
  );

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly settlement: PaymentSettlement,
    private readonly orders: OrderPaymentService,
    private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly parcels: ParcelRefunds,
  ) {}

  onApplicationBootstrap(): void {
    this.periodic.start(this.config.payments.recoveryMs, { now: true });
  }

  onApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass over both kinds of unfinished business; overlapping calls share the pass. */
  sweep(): Promise<void> {
    return this.periodic.run();
  }

  private async settleInterrupted(): Promise<void> {
    // past the provider timeout, no request of any process still waits for this charge
    const before = new Date(Date.now() - this.config.payments.timeoutMs - 2000);
    const stale = await this.repo.staleProcessing(before, BATCH);
    for (const p of stale) {
      if (this.periodic.stopped) return;
      let outcome;
      try {
        outcome = await withTimeout(
          this.provider.lookup(p.transactionId),
          this.config.payments.timeoutMs,
        );
      } catch (e) {
        this.logger.warn(`lookup of payment ${p.id} failed, next pass: ${(e as Error).message}`);
        continue;
      }
      const change =
        outcome && outcome.status !== 'failed'
          ? { status: outcome.status, transactionId: outcome.transaction_id }
          : { status: 'failed' as const, failureReason: outcome?.failure_reason ?? 'interrupted' };
      const { changed } = await this.settlement.settle(p.id, ['processing'], change, null);
      if (changed)
        this.logger.warn(`payment ${p.id} left processing by a crash: now ${change.status}`);
    }
  }

  private async retryRefunds(): Promise<void> {
    const now = Date.now();
    for (const orderId of await this.ordersOwingRefund(BATCH)) {
      if (this.periodic.stopped) return;
      const b = this.refundBackoff.get(orderId) ?? { attempts: 0, next: 0 };
      if (b.next > now) continue;
      await this.settlement.refundOrderPayment(orderId, null);
      const still = await this.repo.hasCompleted(orderId);
      if (!still) {
        this.refundBackoff.delete(orderId);
        continue;
      }
      b.attempts++;
      b.next = Date.now() + Math.min(MAX_REFUND_BACKOFF_MS, 1000 * 2 ** b.attempts);
      this.refundBackoff.set(orderId, b);
    }
  }

  /**
   * Orders that are cancelled or refunded but still hold a completed payment (a refund owed),
   * least recently changed payment first: the orders module names the closed orders it records as
   * paid, the payments table says which of them still hold the money.
   */
  private async ordersOwingRefund(limit: number): Promise<string[]> {
    const closed = await this.orders.closedWithCompletedPayment();
    return this.repo.ordersWithCompletedPayment(closed, limit);
  }
}
