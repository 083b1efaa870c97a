import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogResponseCache } from './catalog-cache.interceptor';
import { CatalogVersion } from './catalog-version';
import { ProductAnalyticsRepository } from './product-analytics.repository';
import { ProductAnalytics } from './product-analytics.service';
import { ProductCatalogQuery } from './product-catalog.query';
import { ProductInventoryService } from './product-inventory.service';
import { Product } from './product.entity';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';
import { SellerStockController } from './seller-stock.controller';
import { StockMovement } from './stock-movement.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Product, StockMovement])],
  controllers: [ProductsController, SellerStockController],
  providers: [
    CatalogVersion,
    CatalogResponseCache,
    ProductInventoryService,
    ProductsService,
    ProductCatalogQuery,
    ProductAnalyticsRepository,
    ProductAnalytics,
  ],
  exports: [ProductInventoryService, ProductsService, ProductAnalytics],
})
export class ProductsModule {}
