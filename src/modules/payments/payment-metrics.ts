import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';

import { Metrics } from '../../observability/metrics';
import type { PaymentMethod, PaymentStatus } from './payment.entity';

/** Outcomes of refunds: the money went back, the provider refused or failed, or it is manual. */
export type RefundOutcome = 'completed' | 'failed' | 'manual';

/** The payment counters of /metrics, counted where a change is recorded (not on replays). */
@Injectable()
export class PaymentMetrics {
  private readonly payments: Counter<'method' | 'status'>;
  private readonly refunds: Counter<'kind' | 'outcome'>;

  constructor(metrics: Metrics) {
    this.payments = metrics.counter({
      name: 'bibarys_payment_outcomes_total',
      help: 'Payment status changes recorded, by method and new status (completed, pending, failed)',
      labelNames: ['method', 'status'],
    });
    this.refunds = metrics.counter({
      name: 'bibarys_refund_outcomes_total',
      help: 'Refunds by kind (order: a whole order; partial: a return) and outcome',
      labelNames: ['kind', 'outcome'],
    });
  }

  payment(method: PaymentMethod, status: PaymentStatus): void {
    this.payments.inc({ method, status });
  }

  refund(kind: 'order' | 'partial', outcome: RefundOutcome): void {
    this.refunds.inc({ kind, outcome });
  }
}
