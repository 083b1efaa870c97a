import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { OrdersModule } from '../orders/orders.module';
import { ProductListing } from '../seller/product-listing';
import { UsersModule } from '../users/users.module';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [UsersModule, AnalyticsModule, OrdersModule],
  controllers: [AdminController],
  providers: [AdminService, ProductListing],
})
export class AdminModule {}
