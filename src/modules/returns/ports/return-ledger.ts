import type { Tx } from '../../../database/unit-of-work';

export interface ReturnLedgerRefund {
  sellerId: string;
  orderId: string;
  fulfillmentId: string;
  returnId: string;
  /** Tiyn, > 0: what the buyer got back (items + delivery). */
  amount: number;
  /** Tiyn: the delivery cost part of `amount` (0 when the delivery was not refunded). */
  delivery: number;
  /**
   * The returned quantities, for the commission reversal; `returnedBefore`: units of the same
   * line refunded by earlier returns of the fulfillment (the reversal is pro rata of the
   * cumulative quantity, so every unit back over several returns reverses it exactly).
   */
  lines: { orderItemId: string; quantity: number; returnedBefore: number }[];
}

/**
 * The port that books a refunded return in the seller's ledger (bound to the finance module in
 * phase 2).
 *
 * Contract for the implementer: inside the caller's transaction `tx` (never a transaction of its
 * own), append the seller's `refund` entry (− amount) and `commission_reversal` entry (+ the
 * commission frozen on the lines for the returned quantities, so that returning a line's whole
 * quantity over several returns reverses exactly its commission), both with `return_id`,
 * `order_id`, `fulfillment_id` and `available_at` = now, and update the seller's running balance
 * in the same transaction. The returns module calls it exactly once per return, in the
 * transaction of the conditional move `received → refunded`; a unique (return_id, type) guard is
 * welcome but not relied upon.
 */
export abstract class ReturnLedger {
  abstract recordRefund(tx: Tx, r: ReturnLedgerRefund): Promise<void>;
}
