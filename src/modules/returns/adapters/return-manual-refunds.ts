import { Injectable } from '@nestjs/common';

import type { Actor } from '../../../common/auth/actor';
import { ManualReturnRefunds } from '../../payments/manual-return-refunds';
import { ReturnRefundService } from '../return-refund.service';

/** The payments module's ManualReturnRefunds answered by the return workflow's refund-paid step. */
@Injectable()
export class ReturnManualRefunds extends ManualReturnRefunds {
  constructor(private readonly refunds: ReturnRefundService) {
    super();
  }

  async markPaid(actor: Actor, returnId: string): Promise<void> {
    await this.refunds.markPaid(actor, returnId);
  }
}
