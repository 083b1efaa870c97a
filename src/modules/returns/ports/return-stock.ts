import type { Tx } from '../../../database/unit-of-work';

export interface Restock {
  orderId: string;
  returnId: string;
  /** Who received the parcel (null: the system). */
  actorId: string | null;
  lines: { productId: string; quantity: number }[];
}

/**
 * The port that puts returned goods back on sale (bound to the products module in phase 2).
 *
 * Contract for the implementer: inside the caller's transaction `tx`, raise each product's
 * quantity by the line's quantity and write one stock ledger movement per line with
 * `reason 'return'` (and the order id), so that quantity = Σ movements still holds; an inactive
 * product is restocked as well. It must not commit or open a transaction of its own. It is not
 * idempotent by itself: the returns module calls it exactly once per return, in the same
 * transaction as the conditional move `approved → received` that only one caller can win.
 */
export abstract class ReturnStock {
  abstract restock(tx: Tx, r: Restock): Promise<void>;
}
