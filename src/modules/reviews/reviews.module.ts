import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrdersModule } from '../orders/orders.module';
import { OrdersService } from '../orders/orders.service';
import { ProductsModule } from '../products/products.module';
import { PurchaseVerifier } from './purchase-verifier';
import { Review } from './review.entity';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [TypeOrmModule.forFeature([Review]), ProductsModule, OrdersModule],
  controllers: [ReviewsController],
  providers: [ReviewsService, { provide: PurchaseVerifier, useExisting: OrdersService }],
  exports: [ReviewsService],
})
export class ReviewsModule {}
