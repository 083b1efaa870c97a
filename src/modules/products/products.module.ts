import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NextFunction, Request, Response } from 'express';

import { CatalogCache } from './catalog-cache/catalog-cache';
import { CatalogFastPath } from './catalog-cache/catalog-fast-path.middleware';
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
 * CatalogCache (`invalidateAll()` when they change what the catalog may show).
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
export class ProductsModule implements NestModule {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly app: ApplicationConfig,
    private readonly fastPath: CatalogFastPath,
  ) {}

  /**
   * Anonymous catalog reads already answered are served in front of the router. Mounted as a
   * plain Express prefix middleware when Nest registers module middleware (after the app's own
   * headers and parsers, before the routes): through `MiddlewareConsumer` every hit paid Nest's
   * per-route middleware wrapper, and product-by-id lost about a fifth of its rate (A/B).
   */
  configure(_consumer: MiddlewareConsumer): void {
    const prefix = this.app.getGlobalPrefix().replace(/^\/*/, '/');
    this.host.httpAdapter.use(
      `${prefix === '/' ? '' : prefix}/products`,
      (req: Request, res: Response, next: NextFunction) => this.fastPath.use(req, res, next),
    );
  }
}
