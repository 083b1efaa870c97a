import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';

import { insertRows } from '../../database/insert-rows';
import { ColumnOf, insertValuesTogether } from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import type { OrderPaymentStatus, OrderStatus } from './order.entity';
import { Fulfillment, Order, OrderItem, OrderStatusHistory } from './order.entity';
import { CLOSED_ORDER_STATUSES } from './order-workflow';

/** The rows of a new order, written by checkout. */
export interface PlacedOrderRows {
  order: Order;
  items: OrderItem[];
  fulfillments: Fulfillment[];
  history: OrderStatusHistory[];
}

const ORDER_COLUMNS: ColumnOf<Order>[] = [
  ['id', 'id'],
  ['user_id', 'userId'],
  ['status', 'status'],
  ['items_total', 'itemsTotal'],
  ['delivery_method', 'deliveryMethod'],
  ['delivery_cost', 'deliveryCost'],
  ['total_amount', 'totalAmount'],
  ['delivery_address', 'deliveryAddress'],
  ['phone', 'phone'],
  ['comment', 'comment'],
  ['tracking_number', 'trackingNumber'],
  ['payment_status', 'paymentStatus'],
  ['created_at', 'createdAt'],
  ['updated_at', 'updatedAt'],
];
const ITEM_COLUMNS: ColumnOf<OrderItem>[] = [
  ['id', 'id'],
  ['order_id', 'orderId'],
  ['product_id', 'productId'],
  ['product_name', 'productName'],
  ['seller_id', 'sellerId'],
  ['quantity', 'quantity'],
  ['price', 'price'],
  ['subtotal', 'subtotal'],
  ['commission_rate', 'commissionRate'],
  ['commission', 'commission'],
];
const FULFILLMENT_COLUMNS: ColumnOf<Fulfillment>[] = [
  ['id', 'id'],
  ['order_id', 'orderId'],
  ['seller_id', 'sellerId'],
  ['status', 'status'],
  ['tracking_number', 'trackingNumber'],
  ['delivery_cost', 'deliveryCost'],
  ['items_total', 'itemsTotal'],
  ['created_at', 'createdAt'],
  ['updated_at', 'updatedAt'],
];
const HISTORY_COLUMNS: ColumnOf<OrderStatusHistory>[] = [
  ['id', 'id'],
  ['order_id', 'orderId'],
  ['status', 'status'],
  ['seller_id', 'sellerId'],
  ['changed_by', 'changedBy'],
  ['note', 'note'],
  ['at', 'at'],
];

/** A history row as services write it (id and time are theirs too). */
export type HistoryRow = Omit<OrderStatusHistory, 'order'>;

export interface PageWindow {
  skip: number;
  take: number;
}

/**
 * Every query on `orders`, `order_items`, `fulfillments` and `order_status_history`. Writes take
 * the caller's transaction; reads take it when they must see what the transaction wrote.
 */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  orderById(id: string, tx?: Tx): Promise<Order | null> {
    return (tx ?? this.ds.manager).findOneBy(Order, { id });
  }

  fulfillmentsOf(tx: Tx, orderId: string): Promise<Fulfillment[]> {
    return tx.findBy(Fulfillment, { orderId });
  }

  itemsOf(tx: Tx, orderId: string): Promise<OrderItem[]> {
    return tx.findBy(OrderItem, { orderId });
  }

  /** Lines, fulfillments and history of many orders: one statement per table, whatever the count. */
  async childrenOf(
    orderIds: string[],
    tx?: Tx,
  ): Promise<[OrderItem[], Fulfillment[], OrderStatusHistory[]]> {
    const em = tx ?? this.ds.manager;
    const where = () => ({ orderId: In(orderIds) });
    return Promise.all([
      em.find(OrderItem, { where: where() }),
      em.find(Fulfillment, { where: where(), order: { createdAt: 'ASC', sellerId: 'ASC' } }),
      em.find(OrderStatusHistory, { where: where(), order: { at: 'ASC', id: 'ASC' } }),
    ]);
  }

  /** A page of orders newest first: a customer's own (`userId`) or all, optionally by status. */
  pageOfOrders(
    filter: { userId?: string; status?: OrderStatus },
    w: PageWindow,
  ): Promise<[Order[], number]> {
    const qb = this.ds
      .getRepository(Order)
      .createQueryBuilder('o')
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .skip(w.skip)
      .take(w.take);
    if (filter.userId) qb.andWhere('o.user_id = :u', { u: filter.userId });
    if (filter.status) qb.andWhere('o.status = :s', { s: filter.status });
    return qb.getManyAndCount();
  }

  /** A page of one seller's fulfillments newest first, optionally by their status. */
  pageOfSellerFulfillments(
    sellerId: string,
    status: OrderStatus | undefined,
    w: PageWindow,
  ): Promise<[Fulfillment[], number]> {
    const qb = this.ds
      .getRepository(Fulfillment)
      .createQueryBuilder('f')
      .where('f.seller_id = :s', { s: sellerId });
    if (status) qb.andWhere('f.status = :st', { st: status });
    return qb
      .orderBy('f.created_at', 'DESC')
      .addOrderBy('f.order_id', 'DESC')
      .skip(w.skip)
      .take(w.take)
      .getManyAndCount();
  }

  ordersByIds(ids: string[]): Promise<Order[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.ds.getRepository(Order).findBy(ids.map((id) => ({ id })));
  }

  /** True when the user has a line of the product whose fulfillment was delivered. */
  async hasDeliveredLine(userId: string, productId: string): Promise<boolean> {
    const n = await this.ds
      .getRepository(OrderItem)
      .createQueryBuilder('i')
      .innerJoin(Order, 'o', 'o.id = i.order_id')
      .innerJoin(Fulfillment, 'f', 'f.order_id = i.order_id AND f.seller_id = i.seller_id')
      .where('o.user_id = :u AND i.product_id = :p AND f.status = :s', {
        u: userId,
        p: productId,
        s: 'delivered',
      })
      .getCount();
    return Number(n) > 0;
  }

  /** Has the user an order whose fulfillment by the seller was delivered (one indexed query)? */
  async hasDeliveredFulfillment(userId: string, sellerId: string): Promise<boolean> {
    const n = await this.ds
      .getRepository(Fulfillment)
      .createQueryBuilder('f')
      .innerJoin(Order, 'o', 'o.id = f.order_id')
      .where('f.seller_id = :s AND f.status = :st AND o.user_id = :u', {
        s: sellerId,
        st: 'delivered',
        u: userId,
      })
      .getCount();
    return Number(n) > 0;
  }

  /**
   * Orders cancelled or refunded whose latest payment is, by the order's own record, completed:
   * the orders that may still owe the customer a refund (an index range on status).
   */
  async closedWithCompletedPayment(): Promise<string[]> {
    const rows = await this.ds.manager.find(Order, {
      select: { id: true },
      where: { status: In([...CLOSED_ORDER_STATUSES]), paymentStatus: 'completed' },
    });
    return rows.map((r) => r.id);
  }

  /**
   * Writes a new order with its lines, fulfillments and history: fixed text (multi-row for lines,
   * parcels and history), nothing read back, no query building; on PostgreSQL one statement.
   */
  async insertPlaced(tx: Tx, rows: PlacedOrderRows): Promise<void> {
    // PostgreSQL: one statement (one round trip) for the four tables; SQLite: four
    await insertValuesTogether(tx, [
      { table: 'orders', columns: ORDER_COLUMNS, rows: [rows.order] },
      { table: 'order_items', columns: ITEM_COLUMNS, rows: rows.items },
      { table: 'fulfillments', columns: FULFILLMENT_COLUMNS, rows: rows.fulfillments },
      { table: 'order_status_history', columns: HISTORY_COLUMNS, rows: rows.history },
    ]);
  }

  /**
   * Moves a fulfillment only if it is still `from` (one conditional statement): false when a
   * racing change got there first.
   */
  async moveFulfillment(
    tx: Tx,
    id: string,
    from: OrderStatus,
    to: OrderStatus,
    at: Date,
    trackingNumber?: string,
  ): Promise<boolean> {
    const set: Partial<Fulfillment> = { status: to, updatedAt: at };
    if (trackingNumber) set.trackingNumber = trackingNumber;
    const res = await tx
      .createQueryBuilder()
      .update(Fulfillment)
      .set(set)
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return res.affected === 1;
  }

  async appendHistory(tx: Tx, rows: HistoryRow[]): Promise<void> {
    if (rows.length) await insertRows(tx, OrderStatusHistory, rows);
  }

  async setStatus(tx: Tx, orderId: string, status: OrderStatus, at: Date): Promise<void> {
    await tx.update(Order, { id: orderId }, { status, updatedAt: at });
  }

  async setPaymentStatus(
    tx: Tx,
    orderId: string,
    paymentStatus: OrderPaymentStatus,
    status: OrderStatus,
    at: Date,
  ): Promise<void> {
    await tx.update(Order, { id: orderId }, { paymentStatus, status, updatedAt: at });
  }

  /** The order `orderId` if `userId` placed it (one statement), else null. */
  ownedOrder(tx: Tx, orderId: string, userId: string): Promise<Order | null> {
    return tx.findOneBy(Order, { id: orderId, userId });
  }

  /**
   * The order's fulfillments, on PostgreSQL locked (`FOR UPDATE`) until the transaction ends so
   * that two writers deciding on them go one after the other (SQLite serialises writers already).
   */
  lockedFulfillmentsOf(tx: Tx, orderId: string): Promise<Fulfillment[]> {
    const qb = tx
      .createQueryBuilder(Fulfillment, 'f')
      .where('f.order_id = :orderId', { orderId })
      .orderBy('f.id', 'ASC');
    if (tx.connection.options.type === 'postgres') qb.setLock('pessimistic_write');
    return qb.getMany();
  }

  /** When each seller's fulfillment of the order was last moved to `delivered` (by history). */
  async deliveredAtBySeller(tx: Tx, orderId: string): Promise<Map<string, Date>> {
    const rows = await tx.find(OrderStatusHistory, {
      select: { sellerId: true, at: true },
      where: { orderId, status: 'delivered' },
      order: { at: 'ASC' },
    });
    const at = new Map<string, Date>();
    for (const r of rows) if (r.sellerId) at.set(r.sellerId, new Date(r.at));
    return at;
  }

  /** Sets the order's payment status alone (a refund changes no fulfillment). */
  async setPaymentStatusOnly(
    tx: Tx,
    orderId: string,
    paymentStatus: OrderPaymentStatus,
    at: Date,
  ): Promise<void> {
    await tx.update(Order, { id: orderId }, { paymentStatus, updatedAt: at });
  }
}
