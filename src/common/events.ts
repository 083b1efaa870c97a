import type { Tx } from '../database/unit-of-work';

/**
 * Events between domains (emitted with EventEmitter2.emitAsync after the cause committed, and
 * awaited, so their effects are done before the client gets its answer).
 */
export const ORDER_CANCELLED = 'order.cancelled';
export const ORDER_STATUS_CHANGED = 'order.status_changed';

export interface OrderCancelledEvent {
  orderId: string;
  actorId: string;
}

export interface OrderStatusChangedEvent {
  orderId: string;
  actorId: string;
  /** The order's derived status after the change. */
  orderStatus: string;
  /** The fulfillment statuses that were set by this change. */
  fulfillmentStatus: string;
  sellerIds: string[];
}

/**
 * A product was deleted (deactivated): listeners remove it from carts and wishlists inside the
 * same transaction (`em`), emitted with emitAsync and awaited by the products service.
 */
export const PRODUCT_DEACTIVATED = 'product.deactivated';

export interface ProductDeactivatedEvent {
  /** The deactivating transaction: listeners pass it to their repositories. */
  em: Tx;
  productId: string;
}

/**
 * A seller's standing changed (shop status or holiday; also seen when another process changed
 * it): emitted after the commit, once the SellerStanding cache shows the new state.
 */
export const SHOP_STANDING_CHANGED = 'shop.standing_changed';

export interface ShopStandingChangedEvent {
  /** The sellers whose standing changed. */
  sellerIds: string[];
}

/**
 * Fulfillments were moved along the workflow (`PUT /orders/{id}/status`): emitted with emitAsync
 * INSIDE the moving transaction (`em`), after the order row was updated (so the order row is
 * locked by it until commit), and awaited. The finance module books a delivered, paid parcel's
 * sale and a refunded parcel's refund in the same transaction: written with the move or not at all.
 */
export const FULFILLMENTS_MOVED = 'order.fulfillments_moved';

export interface FulfillmentsMovedEvent {
  em: Tx;
  orderId: string;
  /** The order's derived status after the moves. */
  orderStatus: string;
  /** `total`: the parcel's items_total + delivery_cost, in tiyn. */
  moves: { fulfillmentId: string; sellerId: string; from: string; to: string; total: number }[];
  at: Date;
}

/**
 * A payment outcome was applied to its order (`orders.payment_status` set): emitted with emitAsync
 * INSIDE the payment's transaction (`em`), after the order row was updated, and awaited. The finance
 * module books the sales of parcels delivered before the payment completed (cash on delivery).
 */
export const ORDER_PAYMENT_APPLIED = 'order.payment_applied';

export interface OrderPaymentAppliedEvent {
  em: Tx;
  orderId: string;
  paymentStatus: string;
}
