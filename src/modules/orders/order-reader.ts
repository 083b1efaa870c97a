import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Fulfillment, Order, OrderItem, OrderStatusHistory } from './order.entity';
import type { LoadedOrder } from './dto/order.response';

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
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async load(orders: Order[], em: EntityManager = this.ds.manager): Promise<LoadedOrder[]> {
    if (!orders.length) return [];
    const ids = orders.map((o) => o.id);
    const [items, fulfillments, history] = await Promise.all([
      em.find(OrderItem, { where: { orderId: In(ids) } }),
      em.find(Fulfillment, {
        where: { orderId: In(ids) },
        order: { createdAt: 'ASC', sellerId: 'ASC' },
      }),
      em.find(OrderStatusHistory, { where: { orderId: In(ids) }, order: { at: 'ASC', id: 'ASC' } }),
    ]);
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

  async loadOne(id: string, em: EntityManager = this.ds.manager): Promise<LoadedOrder | null> {
    const order = await em.findOneBy(Order, { id });
    if (!order) return null;
    return (await this.load([order], em))[0];
  }
}
