import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import {
  DeliveryMethod,
  Fulfillment,
  Order,
  OrderItem,
  OrderStatus,
} from '../../src/modules/orders/order.entity';
import { Product } from '../../src/modules/products/product.entity';
import { User } from '../../src/modules/users/user.entity';

/** One seller's parcel of a seeded order: its status, delivery cost (KZT) and lines. */
export interface SeedFulfillment {
  status: OrderStatus;
  delivery: number;
  lines: { product: Product; quantity: number; price?: number }[];
}

const FLOW: OrderStatus[] = [
  'pending',
  'confirmed',
  'processing',
  'shipped',
  'delivered',
  'refunded',
];
const tiyn = (kzt: number) => Math.round(kzt * 100);
let seq = 0;

/** The order's status: the least advanced of its fulfillments that are not cancelled. */
export function derivedStatus(statuses: OrderStatus[]): OrderStatus {
  const live = statuses.filter((s) => s !== 'cancelled');
  if (!live.length) return 'cancelled';
  return live.reduce((a, b) => (FLOW.indexOf(a) <= FLOW.indexOf(b) ? a : b));
}

/**
 * Writes an order with its lines and fulfillments straight into the database, placed at
 * `createdAt` (an ISO instant): a known data set for reports, independent of the checkout code.
 * Each fulfillment's seller is its products' seller. Stock is not touched.
 */
export async function insertOrder(
  ds: DataSource,
  o: {
    userId: string;
    createdAt: string;
    fulfillments: SeedFulfillment[];
    deliveryMethod?: DeliveryMethod;
  },
): Promise<Order> {
  const at = new Date(o.createdAt);
  const orderId = randomUUID();
  const items: OrderItem[] = [];
  const parcels: Fulfillment[] = [];
  for (const f of o.fulfillments) {
    const sellerId = f.lines[0].product.sellerId;
    let itemsTotal = 0;
    for (const l of f.lines) {
      const price = l.price !== undefined ? tiyn(l.price) : Number(l.product.price);
      itemsTotal += price * l.quantity;
      items.push(
        ds.getRepository(OrderItem).create({
          id: randomUUID(),
          orderId,
          productId: l.product.id,
          productName: l.product.name,
          sellerId,
          quantity: l.quantity,
          price,
          subtotal: price * l.quantity,
        }),
      );
    }
    parcels.push(
      ds.getRepository(Fulfillment).create({
        id: randomUUID(),
        orderId,
        sellerId,
        status: f.status,
        trackingNumber: null,
        deliveryCost: tiyn(f.delivery),
        itemsTotal,
        createdAt: at,
        updatedAt: at,
      }),
    );
  }
  const itemsTotal = parcels.reduce((s, f) => s + f.itemsTotal, 0);
  const deliveryCost = parcels.reduce((s, f) => s + f.deliveryCost, 0);
  const order = ds.getRepository(Order).create({
    id: orderId,
    userId: o.userId,
    status: derivedStatus(o.fulfillments.map((f) => f.status)),
    itemsTotal,
    deliveryMethod: o.deliveryMethod ?? 'standard',
    deliveryCost,
    totalAmount: itemsTotal + deliveryCost,
    deliveryAddress: 'Алматы, ул. Абая 1',
    phone: '+77011234567',
    comment: null,
    trackingNumber: `SEED-${Date.now().toString(36)}-${++seq}`.toUpperCase(),
    paymentStatus: null,
    createdAt: at,
    updatedAt: at,
  });
  await ds.transaction(async (em) => {
    await em.insert(Order, order);
    await em.insert(OrderItem, items);
    await em.insert(Fulfillment, parcels);
  });
  return order;
}

/** Moves a user's registration date (for the new-users series). */
export async function setUserCreatedAt(ds: DataSource, userId: string, iso: string) {
  await ds.getRepository(User).update({ id: userId }, { createdAt: new Date(iso) });
}
