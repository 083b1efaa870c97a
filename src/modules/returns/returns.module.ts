import { Module } from '@nestjs/common';

import { FinanceModule } from '../finance/finance.module';
import { OrdersModule } from '../orders/orders.module';
import { PaymentsModule } from '../payments/payments.module';
import { ProductsModule } from '../products/products.module';
import { UsersModule } from '../users/users.module';
import { FinanceReturnLedger } from './adapters/finance-return-ledger';
import { OrdersReturnableOrders } from './adapters/orders-returnable-orders';
import { PaymentsReturnRefunds } from './adapters/payments-return-refunds';
import { ProductsReturnStock } from './adapters/products-return-stock';
import { ReturnManualRefunds } from './adapters/return-manual-refunds';
import { UsersReturnContacts } from './adapters/users-return-contacts';
import { Clock, SystemClock } from './clock';
import { OpenReturns } from './open-returns';
import { ReturnContacts } from './ports/return-contacts';
import { ReturnLedger } from './ports/return-ledger';
import { ReturnRefunds } from './ports/return-refunds';
import { ReturnStock } from './ports/return-stock';
import { ReturnableOrders } from './ports/returnable-orders';
import { ReturnRefundService } from './return-refund.service';
import { ReturnSteps } from './return-steps';
import { ReturnSweeper } from './return-sweeper';
import { ReturnsController } from './returns.controller';
import { ReturnsRepository } from './returns.repository';
import { ReturnsService } from './returns.service';

/**
 * Returns (CONTRACT Part 2). The module owns `returns`, `return_items` and
 * `return_status_history` and reaches orders, products, payments, finance and users only through
 * the ports in `ports/`, each bound here to an adapter in `adapters/` that calls the owner's
 * exported service. None of those modules imports this one.
 */
@Module({
  imports: [OrdersModule, ProductsModule, PaymentsModule, FinanceModule, UsersModule],
  controllers: [ReturnsController],
  providers: [
    ReturnsRepository,
    ReturnSteps,
    ReturnsService,
    ReturnRefundService,
    ReturnSweeper,
    OpenReturns,
    ReturnManualRefunds,
    { provide: Clock, useClass: SystemClock },
    { provide: ReturnableOrders, useClass: OrdersReturnableOrders },
    { provide: ReturnStock, useClass: ProductsReturnStock },
    { provide: ReturnRefunds, useClass: PaymentsReturnRefunds },
    { provide: ReturnLedger, useClass: FinanceReturnLedger },
    { provide: ReturnContacts, useClass: UsersReturnContacts },
  ],
  exports: [ReturnsService, OpenReturns, ReturnManualRefunds],
})
export class ReturnsModule {}
