import { Inject, Injectable } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { OrderMoneyService } from '../orders/order-money.service';
import { LedgerRepository } from './ledger.repository';
import { financeFigures } from './money-rules';
import { PayoutRepository } from './payout.repository';
import { dateWindow } from './seller-ledger.service';

/** The platform's money over a period, in tiyn (see GET /admin/finance). */
export interface FinanceOverview {
  gmv: number;
  commissionEarned: number;
  commissionVat: number;
  refunds: number;
  payoutsPaid: number;
  payoutsPending: number;
  owedToSellers: number;
}

/**
 * GET /admin/finance, a read model that asks the owners: orders for the GMV, the ledger (own) for
 * commission, refunds and what is owed, the payouts (own) for what left. Four statements.
 */
@Injectable()
export class FinanceReport {
  constructor(
    private readonly orders: OrderMoneyService,
    private readonly ledger: LedgerRepository,
    private readonly payouts: PayoutRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async overview(q: { from?: string; to?: string }): Promise<FinanceOverview> {
    const { from, to } = dateWindow(q.from, q.to);
    const [gmv, sums, payouts, owed] = await Promise.all([
      this.orders.gmv(from, to),
      this.ledger.sumsByType(from, to),
      this.payouts.totalsByStatus(from, to),
      this.ledger.owedToSellers(),
    ]);
    const f = financeFigures(sums, this.config.finance.vatPercent);
    return {
      gmv,
      commissionEarned: f.commissionEarned,
      commissionVat: f.commissionVat,
      refunds: f.refunds,
      payoutsPaid: payouts.paid ?? 0,
      payoutsPending: payouts.pending ?? 0,
      owedToSellers: owed,
    };
  }
}
