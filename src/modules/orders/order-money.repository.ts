import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { Tx } from '../../database/unit-of-work';
import type { OrderPaymentStatus, OrderStatus } from './order.entity';

/** A seller's parcel as the seller ledger books it. Money in tiyn. */
export interface LedgerParcel {
  fulfillmentId: string;
  orderId: string;
  sellerId: string;
  status: OrderStatus;
  itemsTotal: number;
  deliveryCost: number;
  /** Σ of the commission frozen on the parcel's lines. */
  commission: number;
  /** When the parcel last moved (for a `delivered` one: its delivery). */
  movedAt: Date;
  /** The order's payment status (of its latest payment). */
  paymentStatus: OrderPaymentStatus | null;
}

/** An order line's frozen commission, for a return's commission reversal. */
export interface LineCommission {
  orderItemId: string;
  orderId: string;
  sellerId: string;
  quantity: number;
  commission: number;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
/** A timestamp as either driver returns it (PostgreSQL: Date; SQLite: "YYYY-MM-DD HH:MM:SS.sss" UTC). */
const time = (v: unknown): Date =>
  v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T').replace(/Z?$/, 'Z')}`);

/**
 * The order tables' read queries that the money side (the finance module, through
 * `OrderMoneyService`) asks: parcels with their frozen commission, lines' commission, GMV.
 */
@Injectable()
export class OrderMoneyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  private get pg(): boolean {
    return this.ds.options.type === 'postgres';
  }

  private async rows<T>(em: Tx, sql: string, params: Record<string, unknown>): Promise<T[]> {
    const [q, p] = this.ds.driver.escapeQueryWithParameters(sql, params);
    return em.query(q, p);
  }

  /** The order's parcels (only `fulfillmentIds` when given) with Σ their lines' commission: one statement. */
  async parcels(tx: Tx, orderId: string, fulfillmentIds?: string[]): Promise<LedgerParcel[]> {
    const only = fulfillmentIds?.length ? ' AND f.id IN (:...ids)' : '';
    const found = await this.rows<Record<string, unknown>>(
      tx,
      `SELECT f.id, f.order_id, f.seller_id, f.status, f.items_total, f.delivery_cost, f.updated_at,
              o.payment_status,
              (SELECT COALESCE(SUM(i.commission), 0) FROM order_items i
                WHERE i.order_id = f.order_id AND i.seller_id = f.seller_id) AS commission
         FROM fulfillments f JOIN orders o ON o.id = f.order_id
        WHERE f.order_id = :orderId${only}
        ORDER BY f.seller_id`,
      { orderId, ids: fulfillmentIds },
    );
    return found.map((r) => ({
      fulfillmentId: String(r.id),
      orderId: String(r.order_id),
      sellerId: String(r.seller_id),
      status: r.status as OrderStatus,
      itemsTotal: num(r.items_total),
      deliveryCost: num(r.delivery_cost),
      commission: num(r.commission),
      movedAt: time(r.updated_at),
      paymentStatus: (r.payment_status ?? null) as OrderPaymentStatus | null,
    }));
  }

  /** The lines' frozen commission and bought quantity (unknown ids are absent). */
  async lineCommissions(tx: Tx, orderItemIds: string[]): Promise<LineCommission[]> {
    if (!orderItemIds.length) return [];
    const found = await this.rows<Record<string, unknown>>(
      tx,
      `SELECT id, order_id, seller_id, quantity, commission FROM order_items WHERE id IN (:...ids)`,
      { ids: orderItemIds },
    );
    return found.map((r) => ({
      orderItemId: String(r.id),
      orderId: String(r.order_id),
      sellerId: String(r.seller_id),
      quantity: num(r.quantity),
      commission: num(r.commission),
    }));
  }

  /**
   * GMV: Σ items_total + delivery_cost of the parcels not cancelled of orders whose payment was
   * captured (completed, or refunded since), placed within [from, to) (all time without them).
   */
  async gmv(from?: Date, to?: Date): Promise<number> {
    const t = (d: Date) =>
      this.pg ? d.toISOString() : d.toISOString().replace('T', ' ').replace('Z', '');
    const w = `${from ? ' AND o.created_at >= :from' : ''}${to ? ' AND o.created_at < :to' : ''}`;
    const [r] = await this.rows<{ s: unknown }>(
      this.ds.manager,
      `SELECT COALESCE(SUM(f.items_total + f.delivery_cost), 0) AS s
         FROM fulfillments f JOIN orders o ON o.id = f.order_id
        WHERE o.payment_status IN ('completed', 'partially_refunded', 'refunded')
          AND f.status <> 'cancelled'${w}`,
      { from: from && t(from), to: to && t(to) },
    );
    return num(r?.s);
  }
}
