import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ReportRange, ReportSql } from '../../database/report-window';

/** Counted lines of one period: their subtotals, units and distinct orders. */
export interface PeriodRow {
  /** `YYYY-MM-DD` of the bucket's start */
  key: string;
  /** tiyn */
  amount: number;
  orders: number;
  units: number;
}

/** Counted lines of one product. */
export interface ProductSalesRow {
  productId: string;
  units: number;
  /** tiyn */
  revenue: number;
}

/**
 * The orders module's reporting reads over orders, order_items and fulfillments, for the read
 * models (analytics, admin, seller). Everything is grouped in the database (never a row per
 * order in memory); sums are integer tiyn. A line counts when its fulfillment's status is one of
 * `statuses`; it is attributed to the time its order was placed.
 */
@Injectable()
export class OrderAnalyticsRepository {
  private readonly sql: ReportSql;

  constructor(@InjectDataSource() ds: DataSource) {
    this.sql = new ReportSql(ds);
  }

  /** Counted lines per period (a seller's own lines when `sellerId` is given). */
  async linesByPeriod(
    statuses: readonly string[],
    range: ReportRange,
    sellerId?: string,
  ): Promise<PeriodRow[]> {
    const [w, wp] = this.sql.window(range, 'o.created_at');
    const key = this.sql.periodKey(range, 'o.created_at');
    const rows = await this.sql.rows<{
      k: string;
      amount: unknown;
      orders: unknown;
      units: unknown;
    }>(
      `SELECT ${key} AS k, SUM(oi.subtotal) AS amount, COUNT(DISTINCT oi.order_id) AS orders,
              SUM(oi.quantity) AS units
         FROM order_items oi
         JOIN fulfillments f ON f.order_id = oi.order_id AND f.seller_id = oi.seller_id
         JOIN orders o ON o.id = oi.order_id
        WHERE f.status IN (:...statuses)${w}${sellerId ? ' AND oi.seller_id = :seller' : ''}
        GROUP BY ${key}`,
      { statuses, seller: sellerId, ...wp },
    );
    return rows.map((r) => ({
      key: String(r.k),
      amount: Number(r.amount ?? 0),
      orders: Number(r.orders ?? 0),
      units: Number(r.units ?? 0),
    }));
  }

  /** Delivery costs of counted fulfillments per period. */
  async deliveryByPeriod(
    statuses: readonly string[],
    range: ReportRange,
  ): Promise<Map<string, number>> {
    const [w, wp] = this.sql.window(range, 'o.created_at');
    const key = this.sql.periodKey(range, 'o.created_at');
    const rows = await this.sql.rows<{ k: string; amount: unknown }>(
      `SELECT ${key} AS k, SUM(f.delivery_cost) AS amount
         FROM fulfillments f JOIN orders o ON o.id = f.order_id
        WHERE f.status IN (:...statuses)${w}
        GROUP BY ${key}`,
      { statuses, ...wp },
    );
    return new Map(rows.map((r) => [String(r.k), Number(r.amount ?? 0)]));
  }

  /** All-time sums of counted lines and of counted fulfillments' delivery, in tiyn. */
  async allTimeSums(statuses: readonly string[]): Promise<{ lines: number; delivery: number }> {
    const [row] = await this.sql.rows<{ lines: unknown; delivery: unknown }>(
      `SELECT
         (SELECT COALESCE(SUM(oi.subtotal), 0) FROM order_items oi
            JOIN fulfillments f ON f.order_id = oi.order_id AND f.seller_id = oi.seller_id
           WHERE f.status IN (:...statuses)) AS lines,
         (SELECT COALESCE(SUM(f.delivery_cost), 0) FROM fulfillments f
           WHERE f.status IN (:...statuses)) AS delivery`,
      { statuses },
    );
    return { lines: Number(row.lines), delivery: Number(row.delivery) };
  }

  /**
   * Counted lines per product, best sellers first (units, then revenue, then id); `range` null
   * is all time, `limit` undefined every product, `sellerId` a seller's own lines.
   */
  async salesByProduct(
    statuses: readonly string[],
    range: ReportRange | null,
    opts: { limit?: number; sellerId?: string } = {},
  ): Promise<ProductSalesRow[]> {
    const [w, wp] = this.sql.window(range, 'o.created_at');
    const seller = opts.sellerId ? ' AND oi.seller_id = :seller' : '';
    const limit = opts.limit === undefined ? '' : ` LIMIT ${Math.trunc(Number(opts.limit))}`;
    const rows = await this.sql.rows<{ pid: string; units: unknown; revenue: unknown }>(
      `SELECT oi.product_id AS pid, SUM(oi.quantity) AS units, SUM(oi.subtotal) AS revenue
         FROM order_items oi
         JOIN fulfillments f ON f.order_id = oi.order_id AND f.seller_id = oi.seller_id
         JOIN orders o ON o.id = oi.order_id
        WHERE f.status IN (:...statuses)${w}${seller}
        GROUP BY oi.product_id
        ORDER BY SUM(oi.quantity) DESC, SUM(oi.subtotal) DESC, oi.product_id${limit}`,
      { statuses, seller: opts.sellerId, ...wp },
    );
    return rows.map((r) => ({
      productId: String(r.pid),
      units: Number(r.units),
      revenue: Number(r.revenue),
    }));
  }

  /** Distinct customers with a counted order placed in the range. */
  async buyersIn(statuses: readonly string[], range: ReportRange): Promise<number> {
    const [w, wp] = this.sql.window(range, 'o.created_at');
    const [row] = await this.sql.rows<{ n: unknown }>(
      `SELECT COUNT(DISTINCT o.user_id) AS n
         FROM orders o JOIN fulfillments f ON f.order_id = o.id
        WHERE f.status IN (:...statuses)${w}`,
      { statuses, ...wp },
    );
    return Number(row.n);
  }

  /** Orders per status (statuses without orders are absent). */
  async countByStatus(): Promise<Map<string, number>> {
    const rows = await this.sql.rows<{ status: string; n: unknown }>(
      `SELECT status, COUNT(*) AS n FROM orders GROUP BY status`,
    );
    return new Map(rows.map((r) => [r.status, Number(r.n)]));
  }
}
