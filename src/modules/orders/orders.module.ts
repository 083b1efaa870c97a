import { Module } from '@nestjs/common';

import { IdempotencyModule } from '../../common/idempotency/idempotency.module';
import { CartModule } from '../cart/cart.module';
import { ProductsModule } from '../products/products.module';
import { UsersModule } from '../users/users.module';
import { UsersService } from '../users/users.service';
import { CheckoutService } from './checkout.service';
import { OrderAnalyticsRepository } from './order-analytics.repository';
import { OrderAnalytics } from './order-analytics.service';
import { OrderClock } from './order-clock';
import { OrderMoneyRepository } from './order-money.repository';
import { OrderMoneyService } from './order-money.service';
import { OrderPaymentService } from './order-payment.service';
import { OrderReader } from './order-reader';
import { OrderReturnsService } from './order-returns.service';
import { OrderWorkflowService } from './order-workflow.service';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { TrackingNumbers } from './tracking-number';
import { VerifiedEmail } from './verified-email';

@Module({
  imports: [IdempotencyModule, CartModule, ProductsModule, UsersModule],
  controllers: [OrdersController],
  providers: [
    OrderClock,
    OrdersRepository,
    OrderMoneyRepository,
    OrderMoneyService,
    OrderPaymentService,
    OrdersService,
    OrderReader,
    CheckoutService,
    OrderWorkflowService,
    TrackingNumbers,
    OrderAnalyticsRepository,
    OrderAnalytics,
    OrderReturnsService,
    { provide: VerifiedEmail, useExisting: UsersService },
  ],
  exports: [
    OrderClock,
    OrderPaymentService,
    OrdersService,
    OrderReader,
    OrderAnalytics,
    OrderReturnsService,
    OrderMoneyService,
  ],
})
export class OrdersModule {}
