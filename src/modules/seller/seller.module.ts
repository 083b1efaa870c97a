import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { OrdersModule } from '../orders/orders.module';
import { ProductListing } from './product-listing';
import { SellerController } from './seller.controller';
import { SellerService } from './seller.service';

@Module({
  imports: [OrdersModule, AnalyticsModule],
  controllers: [SellerController],
  providers: [SellerService, ProductListing],
})
export class SellerModule {}
