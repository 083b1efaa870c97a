import { Global, Module } from '@nestjs/common';

import { CommissionPolicy } from '../orders/commission-policy';
import { CommissionService } from './commission.service';
import { FinanceModule } from './finance.module';

/**
 * The finance module's answers to ports other modules own, made visible to every module.
 *
 * The orders module's checkout asks `CommissionPolicy` (orders/commission-policy.ts), but orders
 * may not import finance (finance imports orders: its ledger reads parcels). So this module is
 * `@Global()`: its export `CommissionPolicy` (bound to `CommissionService`) resolves in the
 * orders module's injector without OrdersModule importing anything of finance. Nest resolves the
 * provider graph, not the import graph: CommissionService needs nothing of orders, so there is
 * no cycle to resolve.
 */
@Global()
@Module({
  imports: [FinanceModule],
  providers: [{ provide: CommissionPolicy, useExisting: CommissionService }],
  exports: [CommissionPolicy],
})
export class FinanceWiringModule {}
