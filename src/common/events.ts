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
