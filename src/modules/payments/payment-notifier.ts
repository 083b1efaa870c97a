import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import type { PaymentOutcome } from '../orders/order-payment.service';
import { UsersService } from '../users/users.service';
import type { PaymentStatus } from './payment.entity';
import { paymentMail } from './payment-mails';

/**
 * The customer's mail about a payment change: completed, refunded, and failed while the order
 * can still be paid (not when the order was cancelled meanwhile). Queued in the payment's
 * transaction; `kick()` after the commit sends it.
 */
export function mailsCustomer(status: PaymentStatus, outcome: PaymentOutcome): boolean {
  return (
    status === 'completed' || status === 'refunded' || (status === 'failed' && !outcome.orderClosed)
  );
}

@Injectable()
export class PaymentNotifier {
  constructor(
    private readonly users: UsersService,
    private readonly outbox: MailOutboxService,
  ) {}

  /** Queues the mail for a payment of `amount` tiyn that moved to `status`, if one is due. */
  async queue(tx: Tx, status: PaymentStatus, outcome: PaymentOutcome, amount: number) {
    if (!mailsCustomer(status, outcome)) return;
    const customer = await this.users.findById(outcome.customerId);
    if (!customer) return;
    await this.outbox.enqueue(
      tx,
      paymentMail(customer.email, customer.firstName, {
        orderRef: outcome.orderRef,
        status,
        amount,
        orderStatus: outcome.orderStatus,
      }),
      `payment_${status}`,
    );
  }

  /** Sends what was queued (call after the commit). */
  kick(): void {
    this.outbox.kick();
  }
}
