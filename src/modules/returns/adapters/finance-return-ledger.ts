import { Injectable } from '@nestjs/common';
import type { Tx } from '../../../database/unit-of-work';
import { SellerLedgerService } from '../../finance/seller-ledger.service';
import type { LedgerEntryInput } from '../../finance/seller-ledger.service';
import { OrderReturnsService } from '../../orders/order-returns.service';
import { ReturnLedger } from '../ports/return-ledger';
import type { ReturnLedgerRefund } from '../ports/return-ledger';

/**
 * ReturnLedger bound to the finance module: the seller's `refund` entry (− amount) and, when the
 * returned lines carried a commission, its `commission_reversal` (+), in the caller's transaction.
 * The commission of the returned quantities is what orders froze on the lines.
 */
@Injectable()
export class FinanceReturnLedger extends ReturnLedger {
  constructor(
    private readonly ledger: SellerLedgerService,
    private readonly orders: OrderReturnsService,
  ) {
    super();
  }

  async recordRefund(tx: Tx, r: ReturnLedgerRefund): Promise<void> {
    const base = {
      sellerId: r.sellerId,
      orderId: r.orderId,
      fulfillmentId: r.fulfillmentId,
      returnId: r.returnId,
    };
    const entries: LedgerEntryInput[] = [{ ...base, type: 'refund', amount: -r.amount }];
    const commission = await this.orders.lineCommissions(tx, r.lines);
    if (commission > 0) entries.push({ ...base, type: 'commission_reversal', amount: commission });
    await this.ledger.record(tx, entries);
  }
}
