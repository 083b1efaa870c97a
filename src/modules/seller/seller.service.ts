import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { Page, PageQuery } from '../../common/pagination/pagination';
import { AnalyticsService } from '../analytics/analytics.service';
import { AnalyticsQuery } from '../analytics/dto/analytics.query';
import { OrderListQuery } from '../orders/dto/order.dto';
import { OrderResponse } from '../orders/dto/order.response';
import { OrdersService } from '../orders/orders.service';
import { ProductResponse } from '../products/dto/product.response';
import { ProductsService } from '../products/products.service';
import { LOW_STOCK_THRESHOLD, SellerAnalytics } from './dto/seller.dto';

/** The seller panel: the acting seller's (or admin's) own products, orders and figures. */
@Injectable()
export class SellerService {
  constructor(
    private readonly products: ProductsService,
    private readonly orders: OrdersService,
    private readonly analytics: AnalyticsService,
  ) {}

  listProducts(seller: Actor, q: PageQuery): Promise<Page<ProductResponse>> {
    return this.products.listForSeller(seller, q);
  }

  listOrders(seller: Actor, q: OrderListQuery): Promise<Page<OrderResponse>> {
    return this.orders.listForSeller(seller, q);
  }

  async analyticsFor(seller: Actor, q: AnalyticsQuery): Promise<SellerAnalytics> {
    const report = await this.analytics.sellerSales(seller, q); // validates the range first
    const lowStock = await this.products.lowStockForSeller(seller, LOW_STOCK_THRESHOLD);
    return { ...report, low_stock: lowStock };
  }
}
