import { Injectable } from '@nestjs/common';
import { toKzt } from '../../common/money/money';
import { ORDER_STATUSES } from '../orders/order.entity';
import type { Actor } from '../../common/auth/actor';
import { USER_ROLES } from '../users/user.entity';
import { AnalyticsRepository, PeriodRow, ProductSalesRow } from './analytics.repository';
import { bucketKeys, ReportRange, resolveRange } from './date-range';
import { AnalyticsQuery, ProductsAnalyticsQuery } from './dto/analytics.query';
import {
  AnalyticsDashboard,
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

/** Average in tiyn, rounded half up to the tiyn. */
const average = (total: number, count: number) => (count ? Math.round(total / count) : 0);

const productSales = (r: ProductSalesRow): ProductSales => ({
  product_id: r.productId,
  name: r.name,
  units_sold: r.units,
  revenue: toKzt(r.revenue),
});

/**
 * Sales, product and user reports for admins (platform-wide) and sellers (own lines). Every
 * figure comes from a grouped query; the series is filled in here so that empty periods appear.
 */
@Injectable()
export class AnalyticsService {
  constructor(private readonly repo: AnalyticsRepository) {}

  async sales(_actor: Actor, q: AnalyticsQuery): Promise<SalesReport> {
    return this.salesReport(resolveRange(q));
  }

  async products(_actor: Actor, q: ProductsAnalyticsQuery): Promise<ProductsReport> {
    const range = resolveRange(q);
    const [top, categories] = await Promise.all([
      this.repo.topProducts(range, q.limit ?? DEFAULT_TOP_LIMIT),
      this.repo.salesByCategory(range),
    ]);
    return {
      top_products: top.map(productSales),
      by_category: categories.map((c) => ({
        category: c.category,
        units_sold: c.units,
        revenue: toKzt(c.revenue),
      })),
    };
  }

  async users(_actor: Actor, q: AnalyticsQuery): Promise<UsersReport> {
    const range = resolveRange(q);
    const [counts, fresh, buyers] = await Promise.all([
      this.repo.userCounts(),
      this.repo.newUsersByPeriod(range),
      this.repo.activeBuyers(range),
    ]);
    return {
      total_users: counts.total,
      users_by_role: byRole(counts.byRole),
      new_users: bucketKeys(range).map((k) => ({ period_start: k, count: fresh.get(k) ?? 0 })),
      active_buyers: buyers,
    };
  }

  async dashboard(actor: Actor, q: AnalyticsQuery): Promise<AnalyticsDashboard> {
    const range = resolveRange(q);
    const [sales, top, counts, fresh, buyers] = await Promise.all([
      this.salesReport(range),
      this.repo.topProducts(range, 5),
      this.repo.userCounts(),
      this.repo.newUsersByPeriod(range),
      this.repo.activeBuyers(range),
    ]);
    return {
      sales,
      top_products: top.map(productSales),
      users: {
        total_users: counts.total,
        users_by_role: byRole(counts.byRole),
        new_users: [...fresh.values()].reduce((s, n) => s + n, 0),
        active_buyers: buyers,
      },
    };
  }

  /** A seller's figures over their own lines (revenue = subtotals; delivery is not theirs). */
  async sellerSales(seller: Actor, q: AnalyticsQuery): Promise<SellerSalesReport> {
    const range = resolveRange(q);
    const [lines, top] = await Promise.all([
      this.repo.linesByPeriod(range, seller.id),
      this.repo.topProducts(range, DEFAULT_TOP_LIMIT, seller.id),
    ]);
    const report = this.fill(range, lines, new Map());
    return {
      ...report,
      units_sold: lines.reduce((s, r) => s + r.units, 0),
      top_products: top.map(productSales),
    };
  }

  /** All-time platform figures for the admin panel. */
  async stats(): Promise<PlatformStats> {
    const [users, products, orders, revenue] = await Promise.all([
      this.repo.userCounts(),
      this.repo.productCounts(),
      this.repo.ordersByStatus(),
      this.repo.totalRevenue(),
    ]);
    const byStatus = Object.fromEntries(
      ORDER_STATUSES.map((s) => [s, orders.get(s) ?? 0]),
    ) as unknown as OrdersByStatus;
    return {
      total_users: users.total,
      active_users: users.active,
      total_products: products.total,
      active_products: products.active,
      total_orders: [...orders.values()].reduce((s, n) => s + n, 0),
      total_revenue: toKzt(revenue),
      users_by_role: byRole(users.byRole),
      orders_by_status: byStatus,
    };
  }

  /** Best sellers of all time (admin dashboard). */
  async topProductsAllTime(limit: number): Promise<ProductSales[]> {
    return (await this.repo.topProducts(null, limit)).map(productSales);
  }

  private async salesReport(range: ReportRange): Promise<SalesReport> {
    const [lines, delivery] = await Promise.all([
      this.repo.linesByPeriod(range),
      this.repo.deliveryByPeriod(range),
    ]);
    return this.fill(range, lines, delivery);
  }

  /** Totals and the gap-free series from grouped rows (all sums in tiyn until the end). */
  private fill(range: ReportRange, lines: PeriodRow[], delivery: Map<string, number>): SalesReport {
    const revenue = new Map<string, number>();
    const orders = new Map<string, number>();
    for (const r of lines) {
      revenue.set(r.key, r.amount);
      orders.set(r.key, r.orders);
    }
    for (const [k, d] of delivery) revenue.set(k, (revenue.get(k) ?? 0) + d);
    const total = [...revenue.values()].reduce((s, n) => s + n, 0);
    const count = [...orders.values()].reduce((s, n) => s + n, 0);
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
}

function byRole(m: Map<string, number>): UsersByRole {
  return Object.fromEntries(USER_ROLES.map((r) => [r, m.get(r) ?? 0])) as unknown as UsersByRole;
}
