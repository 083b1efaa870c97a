import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { toKzt } from '../../common/money/money';
import type { PeriodRow, ProductSalesRow } from '../orders/order-analytics.service';
import { OrderAnalytics } from '../orders/order-analytics.service';
import type { ProductLabel } from '../products/product-analytics.service';
import { ProductAnalytics } from '../products/product-analytics.service';
import { UserAnalytics } from '../users/user-analytics.service';
import { bucketKeys, ReportRange, resolveRange } from './date-range';
import { AnalyticsQuery, ProductsAnalyticsQuery } from './dto/analytics.query';
import {
  AnalyticsDashboard,
  CategorySales,
  OrdersByStatus,
  PlatformStats,
  ProductSales,
  ProductsReport,
  SalesReport,
  SellerSalesReport,
  UsersByRole,
  UsersReport,
} from './dto/analytics.response';

export const DEFAULT_TOP_LIMIT = 10;
/** Products on the dashboards (analytics and admin). */
export const DASHBOARD_TOP_LIMIT = 5;

/** Average in tiyn, rounded half up to the tiyn. */
const average = (total: number, count: number) => (count ? Math.round(total / count) : 0);
const sum = (ns: Iterable<number>) => [...ns].reduce((s, n) => s + n, 0);

/**
 * Sales, product and user reports for admins (platform-wide) and sellers (own lines). A read
 * model: it owns no table and asks the owners — orders for sales, users for accounts, products
 * for names, categories and counts — then fills in the series here so that empty periods appear.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly orderFigures: OrderAnalytics,
    private readonly userFigures: UserAnalytics,
    private readonly catalog: ProductAnalytics,
  ) {}

  async sales(_actor: Actor, q: AnalyticsQuery): Promise<SalesReport> {
    return this.salesReport(resolveRange(q));
  }

  async products(_actor: Actor, q: ProductsAnalyticsQuery): Promise<ProductsReport> {
    const range = resolveRange(q);
    // every product sold in the range, best first: the top is its head, the categories its sum
    const sold = await this.orderFigures.salesPerProduct(range);
    const labels = await this.catalog.labels(sold.map((r) => r.productId));
    const known = sold.filter((r) => labels.has(r.productId));
    return {
      top_products: known.slice(0, q.limit ?? DEFAULT_TOP_LIMIT).map(productSales(labels)),
      by_category: byCategory(known, labels),
    };
  }

  async users(_actor: Actor, q: AnalyticsQuery): Promise<UsersReport> {
    const range = resolveRange(q);
    const [counts, fresh, buyers] = await Promise.all([
      this.userFigures.counts(),
      this.userFigures.registrations(range),
      this.orderFigures.activeBuyers(range),
    ]);
    return {
      total_users: counts.total,
      users_by_role: counts.byRole as UsersByRole,
      new_users: bucketKeys(range).map((k) => ({ period_start: k, count: fresh.get(k) ?? 0 })),
      active_buyers: buyers,
    };
  }

  async dashboard(_actor: Actor, q: AnalyticsQuery): Promise<AnalyticsDashboard> {
    const range = resolveRange(q);
    const [sales, top, counts, fresh, buyers] = await Promise.all([
      this.salesReport(range),
      this.topProducts(range, DASHBOARD_TOP_LIMIT),
      this.userFigures.counts(),
      this.userFigures.registrations(range),
      this.orderFigures.activeBuyers(range),
    ]);
    return {
      sales,
      top_products: top,
      users: {
        total_users: counts.total,
        users_by_role: counts.byRole as UsersByRole,
        new_users: sum(fresh.values()),
        active_buyers: buyers,
      },
    };
  }

  /** A seller's figures over their own lines (revenue = subtotals; delivery is not theirs). */
  async sellerSales(seller: Actor, q: AnalyticsQuery): Promise<SellerSalesReport> {
    const range = resolveRange(q);
    const [lines, top] = await Promise.all([
      this.orderFigures.linesByPeriod(range, seller.id),
      this.topProducts(range, DEFAULT_TOP_LIMIT, seller.id),
    ]);
    return {
      ...fill(range, lines, new Map()),
      units_sold: sum(lines.map((r) => r.units)),
      top_products: top,
    };
  }

  /** All-time platform figures for the admin panel. */
  async stats(): Promise<PlatformStats> {
    const [users, products, orders, revenue] = await Promise.all([
      this.userFigures.counts(),
      this.catalog.counts(),
      this.orderFigures.ordersByStatus(),
      this.orderFigures.totalRevenue(),
    ]);
    return {
      total_users: users.total,
      active_users: users.active,
      total_products: products.total,
      active_products: products.active,
      total_orders: sum(Object.values(orders)),
      total_revenue: toKzt(revenue),
      users_by_role: users.byRole as UsersByRole,
      orders_by_status: orders as OrdersByStatus,
    };
  }

  /** Best sellers of all time (admin dashboard). */
  topProductsAllTime(limit: number): Promise<ProductSales[]> {
    return this.topProducts(null, limit);
  }

  private async topProducts(
    range: ReportRange | null,
    limit: number,
    sellerId?: string,
  ): Promise<ProductSales[]> {
    const top = await this.orderFigures.topProducts(range, limit, sellerId);
    const labels = await this.catalog.labels(top.map((r) => r.productId));
    return top.filter((r) => labels.has(r.productId)).map(productSales(labels));
  }

  private async salesReport(range: ReportRange): Promise<SalesReport> {
    const [lines, delivery] = await Promise.all([
      this.orderFigures.linesByPeriod(range),
      this.orderFigures.deliveryByPeriod(range),
    ]);
    return fill(range, lines, delivery);
  }
}

const productSales =
  (labels: Map<string, ProductLabel>) =>
  (r: ProductSalesRow): ProductSales => ({
    product_id: r.productId,
    name: labels.get(r.productId)!.name,
    units_sold: r.units,
    revenue: toKzt(r.revenue),
  });

/** Sales per category, highest revenue first (then by name), sums in tiyn until the end. */
function byCategory(sold: ProductSalesRow[], labels: Map<string, ProductLabel>): CategorySales[] {
  const cats = new Map<string, { units: number; revenue: number }>();
  for (const r of sold) {
    const category = labels.get(r.productId)!.category;
    const c = cats.get(category) ?? { units: 0, revenue: 0 };
    c.units += r.units;
    c.revenue += r.revenue;
    cats.set(category, c);
  }
  return [...cats]
    .sort(([a, x], [b, y]) => y.revenue - x.revenue || (a < b ? -1 : a > b ? 1 : 0))
    .map(([category, c]) => ({
      category,
      units_sold: c.units,
      revenue: toKzt(c.revenue),
    }));
}

/** Totals and the gap-free series from grouped rows (all sums in tiyn until the end). */
function fill(range: ReportRange, lines: PeriodRow[], delivery: Map<string, number>): SalesReport {
  const revenue = new Map<string, number>();
  const orders = new Map<string, number>();
  for (const r of lines) {
    revenue.set(r.key, r.amount);
    orders.set(r.key, r.orders);
  }
  for (const [k, d] of delivery) revenue.set(k, (revenue.get(k) ?? 0) + d);
  const total = sum(revenue.values());
  const count = sum(orders.values());
  return {
    total_revenue: toKzt(total),
    orders_count: count,
    average_order_value: toKzt(average(total, count)),
    series: bucketKeys(range).map((k) => ({
      period_start: k,
      revenue: toKzt(revenue.get(k) ?? 0),
      orders: orders.get(k) ?? 0,
    })),
  };
}
