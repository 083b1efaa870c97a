import { Module } from '@nestjs/common';

import { AnalyticsModule } from '../analytics/analytics.module';
import { OrdersModule } from '../orders/orders.module';
import { ProductsModule } from '../products/products.module';
import { SellerController } from './seller.controller';
import { SellerService } from './seller.service';

@Module({
  imports: [OrdersModule, AnalyticsModule, ProductsModule],
  controllers: [SellerController],
  providers: [SellerService],
})
export class SellerModule {}
