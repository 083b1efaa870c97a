import { Module } from '@nestjs/common';

import { OrdersModule } from '../orders/orders.module';
import { ShopsModule } from '../shops/shops.module';
import { UsersModule } from '../users/users.module';
import { AdminFinanceController } from './admin-finance.controller';
import { BalanceCache } from './balance-cache';
import { CommissionRepository } from './commission.repository';
import { CommissionService } from './commission.service';
import { CommissionRulesController } from './commission-rules.controller';
import { FinanceClock } from './finance-clock';
import { FinanceReport } from './finance-report.service';
import { LedgerRepository } from './ledger.repository';
import { MoneyHooks } from './money-hooks.service';
import { PayoutRepository } from './payout.repository';
import { payoutProviderFactory } from './payout-adapters';
import { PayoutRecipients } from './payout-recipients';
import { PayoutsService } from './payouts.service';
import { SellerFinanceController } from './seller-finance.controller';
import { SellerLedgerService } from './seller-ledger.service';
import { ShopPayoutRecipients } from './shop-payout-recipients';

/**
 * Money to sellers: commission rules, the seller ledger and its balances, payouts, the admin's
 * finance view. Checkout freezes commission through the orders module's `CommissionPolicy` port
 * (bound in finance-wiring.module.ts); the ledger books sales and refunds from the orders
 * module's in-transaction events (money-hooks.service.ts); the returns module calls
 * `MoneyHooks.recordReturnRefund(tx, …)`. Payout recipients come from the shops and users modules.
 */
@Module({
  imports: [OrdersModule, ShopsModule, UsersModule],
  controllers: [CommissionRulesController, SellerFinanceController, AdminFinanceController],
  providers: [
    CommissionRepository,
    LedgerRepository,
    BalanceCache,
    PayoutRepository,
    CommissionService,
    SellerLedgerService,
    PayoutsService,
    FinanceClock,
    payoutProviderFactory,
    MoneyHooks,
    FinanceReport,
    ShopPayoutRecipients,
    { provide: PayoutRecipients, useExisting: ShopPayoutRecipients },
  ],
  exports: [CommissionService, SellerLedgerService, MoneyHooks],
})
export class FinanceModule {}
