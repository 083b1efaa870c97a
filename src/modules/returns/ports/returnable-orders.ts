import type { Tx } from '../../../database/unit-of-work';
import type { ProductCategory } from '../../products/product-shape';

/** One order line as a return needs it. Money in integer tiyn. */
export interface ReturnableOrderLine {
  orderItemId: string;
  productId: string;
  productName: string;
  category: ProductCategory;
  /** Unit price at checkout. */
  price: number;
  /** Bought. */
  quantity: number;
}

/** One seller's parcel of the order. */
export interface ReturnableFulfillment {
  fulfillmentId: string;
  sellerId: string;
  /** The fulfillment's status (`delivered` is the only one a return may start from). */
  status: string;
  /** When it was moved to `delivered` (null when it never was). */
  deliveredAt: Date | null;
  /** Tiyn. */
  deliveryCost: number;
  lines: ReturnableOrderLine[];
}

export interface ReturnableOrder {
  orderId: string;
  /** The order's own reference (its tracking number). */
  orderRef: string;
  /** The method of the order's captured payment (null when nothing was paid). */
  paymentMethod: 'card' | 'kaspi' | 'cash_on_delivery' | null;
  fulfillments: ReturnableFulfillment[];
}

/**
 * The port the returns rules ask about an order (bound to the orders module in phase 2).
 *
 * Contract for the implementer:
 * - `orderOf` answers the order `orderId` only when `ownerId` placed it; another user's order and
 *   an unknown id both answer null (the caller answers 404, never revealing which).
 * - It reads inside the caller's transaction `tx`, and on PostgreSQL locks the order's
 *   fulfillment rows (`SELECT … FOR UPDATE`) until that transaction ends, so two returns of the
 *   same order created at once count each other's quantities (on SQLite transactions are
 *   serial already). It writes nothing.
 * - Every fulfillment of the order is listed, each with all its lines.
 */
export abstract class ReturnableOrders {
  abstract orderOf(tx: Tx, orderId: string, ownerId: string): Promise<ReturnableOrder | null>;
}
