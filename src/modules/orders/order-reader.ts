import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';
import type { LoadedOrder } from './dto/order.response';
import type { Fulfillment, Order, OrderItem, OrderStatusHistory } from './order.entity';
import { OrdersRepository } from './orders.repository';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const ms = (d: Date | string) => new Date(d).getTime();

/**
 * One order with its children in the order every reader shows them: lines by product name (code
 * point order, whatever the database's collation), fulfillments and history oldest first. Used for
 * what was loaded and for what checkout has just written, so both answer alike.
 */
export function assembleOrder(
  order: Order,
  items: OrderItem[],
  fulfillments: Fulfillment[],
  history: OrderStatusHistory[],
): LoadedOrder {
  return {
    order,
    items: [...items].sort((a, b) => byText(a.productName, b.productName) || byText(a.id, b.id)),
    fulfillments: [...fulfillments].sort(
      (a, b) => ms(a.createdAt) - ms(b.createdAt) || byText(a.sellerId, b.sellerId),
    ),
    history: [...history].sort((a, b) => ms(a.at) - ms(b.at) || byText(a.id, b.id)),
  };
}

/**
 * Loads orders with their lines, fulfillments and history in a constant number of statements
 * (one per child table, whatever the number of orders or lines): no N+1.
 */
@Injectable()
export class OrderReader {
  constructor(private readonly repo: OrdersRepository) {}

  async load(orders: Order[], tx?: Tx): Promise<LoadedOrder[]> {
    if (!orders.length) return [];
    const [items, fulfillments, history] = await this.repo.childrenOf(
      orders.map((o) => o.id),
      tx,
    );
    const group = <T extends { orderId: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) m.set(r.orderId, [...(m.get(r.orderId) ?? []), r]);
      return m;
    };
    const gi = group(items);
    const gf = group(fulfillments);
    const gh = group(history);
    return orders.map((order) =>
      assembleOrder(order, gi.get(order.id) ?? [], gf.get(order.id) ?? [], gh.get(order.id) ?? []),
    );
  }

  async loadOne(id: string, tx?: Tx): Promise<LoadedOrder | null> {
    const order = await this.repo.orderById(id, tx);
    if (!order) return null;
    return (await this.load([order], tx))[0];
  }
}
