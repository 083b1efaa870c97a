import { Module } from '@nestjs/common';

import { OrdersModule } from '../orders/orders.module';
import { OrdersService } from '../orders/orders.service';
import { ProductsModule } from '../products/products.module';
import { PurchaseVerifier } from './purchase-verifier';
import { ReviewsController } from './reviews.controller';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [ProductsModule, OrdersModule],
  controllers: [ReviewsController],
  providers: [
    ReviewsService,
    ReviewsRepository,
    { provide: PurchaseVerifier, useExisting: OrdersService },
  ],
  exports: [ReviewsService],
})
export class ReviewsModule {}
