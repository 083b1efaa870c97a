import { Injectable } from '@nestjs/common';

import type { Tx } from '../../../database/unit-of-work';
import { OrderReturnsService } from '../../orders/order-returns.service';
import { PaymentRefundsService } from '../../payments/payment-refunds.service';
import { ProductInventoryService } from '../../products/product-inventory.service';
import type { ProductCategory } from '../../products/product-shape';
import type { ReturnableOrder } from '../ports/returnable-orders';
import { ReturnableOrders } from '../ports/returnable-orders';

/**
 * ReturnableOrders bound to the orders module (the order, its parcels and lines, locked on
 * PostgreSQL), the products module (each line's category) and payments (the captured method).
 */
@Injectable()
export class OrdersReturnableOrders extends ReturnableOrders {
  constructor(
    private readonly orders: OrderReturnsService,
    private readonly products: ProductInventoryService,
    private readonly payments: PaymentRefundsService,
  ) {
    super();
  }

  async orderOf(tx: Tx, orderId: string, ownerId: string): Promise<ReturnableOrder | null> {
    const order = await this.orders.returnableOrder(tx, orderId, ownerId);
    if (!order) return null;
    const ids = [...new Set(order.fulfillments.flatMap((f) => f.lines.map((l) => l.productId)))];
    const [products, paymentMethod] = await Promise.all([
      this.products.findByIds(ids, tx),
      this.payments.capturedMethodOf(orderId, tx),
    ]);
    const category = new Map(products.map((p) => [p.id, p.category]));
    return {
      orderId: order.orderId,
      orderRef: order.orderRef,
      paymentMethod,
      fulfillments: order.fulfillments.map((f) => ({
        ...f,
        lines: f.lines.map((l) => ({
          ...l,
          // a product deleted since the sale: no category rule applies to it
          category: category.get(l.productId) ?? ('other' as ProductCategory),
        })),
      })),
    };
  }
}
