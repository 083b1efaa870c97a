import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Fulfillment, Order, OrderItem, OrderStatusHistory } from './order.entity';
import type { LoadedOrder } from './dto/order.response';

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
      em.find(OrderItem, { where: { orderId: In(ids) }, order: { productName: 'ASC', id: 'ASC' } }),
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
    return orders.map((order) => ({
      order,
      items: gi.get(order.id) ?? [],
      fulfillments: gf.get(order.id) ?? [],
      history: gh.get(order.id) ?? [],
    }));
  }

  async loadOne(id: string, em: EntityManager = this.ds.manager): Promise<LoadedOrder | null> {
    const order = await em.findOneBy(Order, { id });
    if (!order) return null;
    return (await this.load([order], em))[0];
  }
}
