import { Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import {
  NotWiredReturnableOrders,
  NotWiredReturnContacts,
  NotWiredReturnLedger,
  NotWiredReturnRefunds,
  NotWiredReturnStock,
} from './ports/not-wired';
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
 * the ports in `ports/`. Until they are bound to those modules (phase 2), the placeholders throw.
 */
@Module({
  controllers: [ReturnsController],
  providers: [
    ReturnsRepository,
    ReturnSteps,
    ReturnsService,
    ReturnRefundService,
    ReturnSweeper,
    { provide: Clock, useClass: SystemClock },
    { provide: ReturnableOrders, useClass: NotWiredReturnableOrders },
    { provide: ReturnStock, useClass: NotWiredReturnStock },
    { provide: ReturnRefunds, useClass: NotWiredReturnRefunds },
    { provide: ReturnLedger, useClass: NotWiredReturnLedger },
    { provide: ReturnContacts, useClass: NotWiredReturnContacts },
  ],
  exports: [ReturnsService],
})
export class ReturnsModule {}
