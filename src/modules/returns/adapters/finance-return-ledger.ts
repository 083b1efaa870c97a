import { Injectable } from '@nestjs/common';

import type { Tx } from '../../../database/unit-of-work';
import { MoneyHooks } from '../../finance/money-hooks.service';
import type { ReturnLedgerRefund } from '../ports/return-ledger';
import { ReturnLedger } from '../ports/return-ledger';

/**
 * ReturnLedger bound to the finance module: the seller's `refund` entry (− amount) and the
 * `commission_reversal` (+ the frozen commission of the returned units, pro rata over the
 * cumulative quantity), written once per return in the caller's transaction.
 */
@Injectable()
export class FinanceReturnLedger extends ReturnLedger {
  constructor(private readonly hooks: MoneyHooks) {
    super();
  }

  async recordRefund(tx: Tx, r: ReturnLedgerRefund): Promise<void> {
    await this.hooks.recordReturnRefund(tx, r);
  }
}
