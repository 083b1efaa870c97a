import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';
import type { OrderStatus } from './order.entity';
import { OrdersRepository } from './orders.repository';

/** One line of an order as a return needs it (money in integer tiyn). */
export interface ReturnableOrderItem {
  orderItemId: string;
  productId: string;
  productName: string;
  price: number;
  quantity: number;
}

/** One seller's parcel of the order, with when it was delivered (null: never). */
export interface ReturnableParcel {
  fulfillmentId: string;
  sellerId: string;
  status: OrderStatus;
  deliveredAt: Date | null;
  deliveryCost: number;
  lines: ReturnableOrderItem[];
}

export interface ReturnableOrderRows {
  orderId: string;
  /** The order's tracking number. */
  orderRef: string;
  fulfillments: ReturnableParcel[];
}

/**
 * What the returns module asks of an order (exported; orders never imports returns): the order as
 * it can be returned, and the commission frozen on its lines.
 */
@Injectable()
export class OrderReturnsService {
  constructor(private readonly repo: OrdersRepository) {}

  /**
   * The order `orderId` if `ownerId` placed it (else null: unknown and foreign look the same),
   * every fulfillment with all its lines. Inside the caller's transaction; on PostgreSQL the
   * fulfillment rows stay locked until it ends, so two returns of one order decide one by one.
   */
  async returnableOrder(
    tx: Tx,
    orderId: string,
    ownerId: string,
  ): Promise<ReturnableOrderRows | null> {
    const order = await this.repo.ownedOrder(tx, orderId, ownerId);
    if (!order) return null;
    const fulfillments = await this.repo.lockedFulfillmentsOf(tx, orderId);
    const [items, delivered] = await Promise.all([
      this.repo.itemsOf(tx, orderId),
      this.repo.deliveredAtBySeller(tx, orderId),
    ]);
    return {
      orderId: order.id,
      orderRef: order.trackingNumber,
      fulfillments: fulfillments.map((f) => ({
        fulfillmentId: f.id,
        sellerId: f.sellerId,
        status: f.status,
        deliveredAt: f.status === 'delivered' ? (delivered.get(f.sellerId) ?? null) : null,
        deliveryCost: Number(f.deliveryCost),
        lines: items
          .filter((i) => i.sellerId === f.sellerId)
          .map((i) => ({
            orderItemId: i.id,
            productId: i.productId,
            productName: i.productName,
            price: Number(i.price),
            quantity: Number(i.quantity),
          })),
      })),
    };
  }
}
