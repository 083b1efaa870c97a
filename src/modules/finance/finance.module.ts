import { Module } from '@nestjs/common';
import { AdminFinanceController } from './admin-finance.controller';
import { CommissionRepository } from './commission.repository';
import { CommissionRulesController } from './commission-rules.controller';
import { CommissionService } from './commission.service';
import { FinanceClock } from './finance-clock';
import { LedgerRepository } from './ledger.repository';
import { payoutProviderFactory } from './payout-adapters';
import { InMemoryPayoutRecipients, PayoutRecipients } from './payout-recipients';
import { PayoutRepository } from './payout.repository';
import { PayoutsService } from './payouts.service';
import { SellerFinanceController } from './seller-finance.controller';
import { SellerLedgerService } from './seller-ledger.service';

/**
 * Money to sellers: commission rules, the seller ledger and its balances, payouts.
 * Other modules call `CommissionService.freeze(tx, lines)` (checkout) and
 * `SellerLedgerService.record(tx, entries)` (delivery, refunds) inside their transactions.
 *
 * `PayoutRecipients` is bound to the in-memory directory in phase 1; at the merge it is bound to
 * the shops module's implementation (`{ provide: PayoutRecipients, useExisting: ShopPayoutRecipients }`
 * with ShopsModule imported).
 */
@Module({
  controllers: [CommissionRulesController, SellerFinanceController, AdminFinanceController],
  providers: [
    CommissionRepository,
    LedgerRepository,
    PayoutRepository,
    CommissionService,
    SellerLedgerService,
    PayoutsService,
    FinanceClock,
    payoutProviderFactory,
    InMemoryPayoutRecipients,
    { provide: PayoutRecipients, useExisting: InMemoryPayoutRecipients },
  ],
  exports: [CommissionService, SellerLedgerService],
})
export class FinanceModule {}
