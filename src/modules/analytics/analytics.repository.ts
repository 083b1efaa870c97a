import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { periodKeySql, ReportRange, sqlTime } from './date-range';

/** Fulfillment statuses whose sales count as revenue. */
export const REVENUE_STATUSES = ['confirmed', 'processing', 'shipped', 'delivered'] as const;

export interface PeriodRow {
  key: string;
  /** tiyn */
  amount: number;
  orders: number;
  units: number;
}

export interface ProductSalesRow {
  productId: string;
  name: string;
  units: number;
  /** tiyn */
  revenue: number;
}

export interface CategorySalesRow {
  category: string;
  units: number;
  revenue: number;
}

type Params = Record<string, unknown>;

/**
 * The read-only reporting queries. Everything is grouped in the database (never a row per order
 * in memory); sums are integer tiyn, converted once by the caller. Each query runs unchanged on
 * SQLite and PostgreSQL except for the period key (see `periodKeySql`).
 *
 * Revenue counts fulfillments in REVENUE_STATUSES, attributed to the day the order was placed:
 * their lines' subtotals plus (platform-wide) their delivery cost.
 */
@Injectable()
export class AnalyticsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private get pg(): boolean {
    return this.ds.options.type === 'postgres';
  }

  private async rows<T = Record<string, unknown>>(sql: string, params: Params): Promise<T[]> {
    const [q, p] = this.ds.driver.escapeQueryWithParameters(sql, params);
    return this.ds.query(q, p);
  }

  /** The date filter on `orders o` (none for all time) and its parameters. */
  private window(range: ReportRange | null, column = 'o.created_at'): [string, Params] {
    if (!range) return ['', {}];
    return [
      ` AND ${column} >= :from AND ${column} < :to`,
      { from: sqlTime(this.pg, range.from), to: sqlTime(this.pg, range.to) },
    ];
  }

  /**
   * Counted lines per period: their subtotals, units and distinct orders (a seller's own lines
   * when `sellerId` is given).
   */
  async linesByPeriod(range: ReportRange, sellerId?: string): Promise<PeriodRow[]> {
    const [w, wp] = this.window(range);
    const key = periodKeySql(this.pg, range.period, 'o.created_at');
    const rows = await this.rows<{ k: string; amount: unknown; orders: unknown; units: unknown }>(
      `SELECT ${key} AS k, SUM(oi.subtotal) AS amount, COUNT(DISTINCT oi.order_id) AS orders,
              SUM(oi.quantity) AS units
         FROM order_items oi
         JOIN fulfillments f ON f.order_id = oi.order_id AND f.seller_id = oi.seller_id
         JOIN orders o ON o.id = oi.order_id
        WHERE f.status IN (:...statuses)${w}${sellerId ? ' AND oi.seller_id = :seller' : ''}
        GROUP BY ${key}`,
      { statuses: REVENUE_STATUSES, seller: sellerId, ...wp },
    );
    return rows.map((r) => ({
      key: String(r.k),
      amount: Number(r.amount ?? 0),
      orders: Number(r.orders ?? 0),
      units: Number(r.units ?? 0),
    }));
  }

  /** Delivery costs of counted fulfillments per period. */
  async deliveryByPeriod(range: ReportRange): Promise<Map<string, number>> {
    const [w, wp] = this.window(range);
    const key = periodKeySql(this.pg, range.period, 'o.created_at');
    const rows = await this.rows<{ k: string; amount: unknown }>(
      `SELECT ${key} AS k, SUM(f.delivery_cost) AS amount
         FROM fulfillments f JOIN orders o ON o.id = f.order_id
        WHERE f.status IN (:...statuses)${w}
        GROUP BY ${key}`,
      { statuses: REVENUE_STATUSES, ...wp },
    );
    return new Map(rows.map((r) => [String(r.k), Number(r.amount ?? 0)]));
  }

  /** All-time revenue (lines plus delivery of counted fulfillments), in tiyn. */
  async totalRevenue(): Promise<number> {
    const [row] = await this.rows<{ lines: unknown; delivery: unknown }>(
      `SELECT
         (SELECT COALESCE(SUM(oi.subtotal), 0) FROM order_items oi
            JOIN fulfillments f ON f.order_id = oi.order_id AND f.seller_id = oi.seller_id
           WHERE f.status IN (:...statuses)) AS lines,
         (SELECT COALESCE(SUM(f.delivery_cost), 0) FROM fulfillments f
           WHERE f.status IN (:...statuses)) AS delivery`,
      { statuses: REVENUE_STATUSES },
    );
    return Number(row.lines) + Number(row.delivery);
  }

  /** Best sellers by units (then revenue) over counted lines; `range` null is all time. */
  async topProducts(
    range: ReportRange | null,
    limit: number,
    sellerId?: string,
  ): Promise<ProductSalesRow[]> {
    const [w, wp] = this.window(range);
    const rows = await this.rows<{ pid: string; name: string; units: unknown; revenue: unknown }>(
      `SELECT oi.product_id AS pid, p.name AS name, SUM(oi.quantity) AS units,
              SUM(oi.subtotal) AS revenue
         FROM order_items oi
         JOIN fulfillments f ON f.order_id = oi.order_id AND f.seller_id = oi.seller_id
         JOIN orders o ON o.id = oi.order_id
         JOIN products p ON p.id = oi.product_id
        WHERE f.status IN (:...statuses)${w}${sellerId ? ' AND oi.seller_id = :seller' : ''}
        GROUP BY oi.product_id, p.name
        ORDER BY SUM(oi.quantity) DESC, SUM(oi.subtotal) DESC, oi.product_id
        LIMIT ${Math.trunc(Number(limit))}`,
      { statuses: REVENUE_STATUSES, seller: sellerId, ...wp },
    );
    return rows.map((r) => ({
      productId: String(r.pid),
      name: r.name,
      units: Number(r.units),
      revenue: Number(r.revenue),
    }));
  }

  /** Counted lines per product category. */
  async salesByCategory(range: ReportRange): Promise<CategorySalesRow[]> {
    const [w, wp] = this.window(range);
    const rows = await this.rows<{ category: string; units: unknown; revenue: unknown }>(
      `SELECT p.category AS category, SUM(oi.quantity) AS units, SUM(oi.subtotal) AS revenue
         FROM order_items oi
         JOIN fulfillments f ON f.order_id = oi.order_id AND f.seller_id = oi.seller_id
         JOIN orders o ON o.id = oi.order_id
         JOIN products p ON p.id = oi.product_id
        WHERE f.status IN (:...statuses)${w}
        GROUP BY p.category
        ORDER BY SUM(oi.subtotal) DESC, p.category`,
      { statuses: REVENUE_STATUSES, ...wp },
    );
    return rows.map((r) => ({
      category: r.category,
      units: Number(r.units),
      revenue: Number(r.revenue),
    }));
  }

  /** Distinct customers with a counted order placed in the range. */
  async activeBuyers(range: ReportRange): Promise<number> {
    const [w, wp] = this.window(range);
    const [row] = await this.rows<{ n: unknown }>(
      `SELECT COUNT(DISTINCT o.user_id) AS n
         FROM orders o JOIN fulfillments f ON f.order_id = o.id
        WHERE f.status IN (:...statuses)${w}`,
      { statuses: REVENUE_STATUSES, ...wp },
    );
    return Number(row.n);
  }

  /** Users registered per period. */
  async newUsersByPeriod(range: ReportRange): Promise<Map<string, number>> {
    const [w, wp] = this.window(range, 'u.created_at');
    const key = periodKeySql(this.pg, range.period, 'u.created_at');
    const rows = await this.rows<{ k: string; n: unknown }>(
      `SELECT ${key} AS k, COUNT(*) AS n FROM users u WHERE 1 = 1${w} GROUP BY ${key}`,
      wp,
    );
    return new Map(rows.map((r) => [String(r.k), Number(r.n)]));
  }

  /** Users per role, and how many are active. */
  async userCounts(): Promise<{ byRole: Map<string, number>; total: number; active: number }> {
    const rows = await this.rows<{ role: string; n: unknown; active: unknown }>(
      `SELECT role, COUNT(*) AS n, SUM(CASE WHEN is_active THEN 1 ELSE 0 END) AS active
         FROM users GROUP BY role`,
      {},
    );
    return {
      byRole: new Map(rows.map((r) => [r.role, Number(r.n)])),
      total: rows.reduce((s, r) => s + Number(r.n), 0),
      active: rows.reduce((s, r) => s + Number(r.active ?? 0), 0),
    };
  }

  async productCounts(): Promise<{ total: number; active: number }> {
    const [row] = await this.rows<{ n: unknown; active: unknown }>(
      `SELECT COUNT(*) AS n, SUM(CASE WHEN is_active THEN 1 ELSE 0 END) AS active FROM products`,
      {},
    );
    return { total: Number(row.n), active: Number(row.active ?? 0) };
  }

  async ordersByStatus(): Promise<Map<string, number>> {
    const rows = await this.rows<{ status: string; n: unknown }>(
      `SELECT status, COUNT(*) AS n FROM orders GROUP BY status`,
      {},
    );
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  }
}
