import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CatalogCache } from './catalog-cache/catalog-cache';
import { CatalogFastPath } from './catalog-cache/catalog-fast-path';
import { CatalogTotals } from './catalog-cache/catalog-totals';
import { catalogVersionProvider } from './catalog-cache/catalog-version';
import { Product } from './product.entity';
import { ProductAnalyticsRepository } from './product-analytics.repository';
import { ProductAnalytics } from './product-analytics.service';
import { ProductInventoryService } from './product-inventory.service';
import { ProductsController } from './products.controller';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';
import { SellerStockController } from './seller-stock.controller';
import { StockMovement } from './stock-movement.entity';

/**
 * The catalog. Other modules call ProductsService (listings for the seller and admin panels,
 * an active product), ProductInventoryService (stock, review counters, products by id) and
 * CatalogCache (`invalidateAll()` when they change what the catalog may show). setupApp puts
 * CatalogFastPath in front of Express.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Product, StockMovement])],
  controllers: [ProductsController, SellerStockController],
  providers: [
    CatalogFastPath,
    ProductsRepository,
    catalogVersionProvider,
    CatalogCache,
    CatalogTotals,
    ProductInventoryService,
    ProductsService,
    ProductAnalyticsRepository,
    ProductAnalytics,
  ],
  exports: [ProductInventoryService, ProductsService, CatalogCache, ProductAnalytics],
})
export class ProductsModule {}
