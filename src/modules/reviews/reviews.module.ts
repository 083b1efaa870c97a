import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProductsModule } from '../products/products.module';
import { SqlPurchaseVerifier } from './delivered-purchase.sql-verifier';
import { PurchaseVerifier } from './purchase-verifier';
import { Review } from './review.entity';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [TypeOrmModule.forFeature([Review]), ProductsModule],
  controllers: [ReviewsController],
  providers: [ReviewsService, { provide: PurchaseVerifier, useClass: SqlPurchaseVerifier }],
  exports: [ReviewsService],
})
export class ReviewsModule {}
