import { Injectable } from '@nestjs/common';

import type { Tx } from '../../../database/unit-of-work';
import { PaymentRefundsService } from '../../payments/payment-refunds.service';
import type { ReturnRefundOutcome, ReturnRefundRequest } from '../ports/return-refunds';
import { ReturnRefunds } from '../ports/return-refunds';

/** ReturnRefunds bound to the payments module's partial refunds (idempotent by reference). */
@Injectable()
export class PaymentsReturnRefunds extends ReturnRefunds {
  constructor(private readonly payments: PaymentRefundsService) {
    super();
  }

  refund(r: ReturnRefundRequest): Promise<ReturnRefundOutcome> {
    return this.payments.refund(r);
  }

  markRefunded(tx: Tx, r: ReturnRefundRequest): Promise<void> {
    return this.payments.markRefunded(tx, r);
  }
}
