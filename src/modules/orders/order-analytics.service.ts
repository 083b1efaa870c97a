import { Injectable } from '@nestjs/common';

import type { ReportRange } from '../../database/report-window';
import { ORDER_STATUSES, OrderStatus } from './order.entity';
import { OrderAnalyticsRepository, PeriodRow, ProductSalesRow } from './order-analytics.repository';

export type { PeriodRow, ProductSalesRow };

/** Fulfillment statuses whose sales count as revenue. */
export const REVENUE_STATUSES = ['confirmed', 'processing', 'shipped', 'delivered'] as const;

/**
 * What the orders module tells the read models (analytics, admin, seller) about sales. Revenue
 * counts fulfillments in REVENUE_STATUSES, attributed to the time the order was placed: their
 * lines' subtotals plus, platform-wide, their delivery cost (a seller's revenue is their lines
 * only). Sums are integer tiyn.
 */
@Injectable()
export class OrderAnalytics {
  constructor(private readonly repo: OrderAnalyticsRepository) {}

  /** Counted lines per period of the range (a seller's own lines when `sellerId` is given). */
  linesByPeriod(range: ReportRange, sellerId?: string): Promise<PeriodRow[]> {
    return this.repo.linesByPeriod(REVENUE_STATUSES, range, sellerId);
  }

  /** Delivery cost of counted fulfillments per period key. */
  deliveryByPeriod(range: ReportRange): Promise<Map<string, number>> {
    return this.repo.deliveryByPeriod(REVENUE_STATUSES, range);
  }

  /** All-time revenue: counted lines plus the delivery of counted fulfillments. */
  async totalRevenue(): Promise<number> {
    const { lines, delivery } = await this.repo.allTimeSums(REVENUE_STATUSES);
    return lines + delivery;
  }

  /** The `limit` best-selling products by units, then revenue; `range` null is all time. */
  topProducts(range: ReportRange | null, limit: number, sellerId?: string) {
    return this.repo.salesByProduct(REVENUE_STATUSES, range, { limit, sellerId });
  }

  /** Counted sales of every product sold in the range. */
  salesPerProduct(range: ReportRange): Promise<ProductSalesRow[]> {
    return this.repo.salesByProduct(REVENUE_STATUSES, range);
  }

  /** Distinct customers with a counted order placed in the range. */
  activeBuyers(range: ReportRange): Promise<number> {
    return this.repo.buyersIn(REVENUE_STATUSES, range);
  }

  /** Orders per status, every status present. */
  async ordersByStatus(): Promise<Record<OrderStatus, number>> {
    const counts = await this.repo.countByStatus();
    return Object.fromEntries(ORDER_STATUSES.map((s) => [s, counts.get(s) ?? 0])) as Record<
      OrderStatus,
      number
    >;
  }
}
