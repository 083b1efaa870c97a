import type { Tx } from '../../../database/unit-of-work';

export interface ReturnRefundRequest {
  orderId: string;
  /** Integer tiyn, > 0, at most what is still refundable of the order's captured payment. */
  amount: number;
  /** The return's id: the idempotency key of this refund. */
  reference: string;
  /** The returned parcel (what it still holds for a later parcel refund). */
  fulfillmentId?: string;
}

/**
 * - `completed`: the money went back through the payment provider;
 * - `failed`: the provider refused or could not be reached; the returns sweep asks again later
 *   with the same reference;
 * - `manual`: the money cannot go back through the provider (cash on delivery, or no captured
 *   payment): an admin pays it out of band and marks it paid.
 */
export interface ReturnRefundOutcome {
  status: 'completed' | 'failed' | 'manual';
  /** Why it failed (shown to admins), for `failed`. */
  failureReason?: string;
}

/**
 * The port that gives a return's money back (bound to the payments module in phase 2).
 *
 * Contract for the implementer:
 * - `refund` is called OUTSIDE any database transaction (it may call the provider over the
 *   network). It is idempotent by `reference`: called again with a reference it has seen (after
 *   a crash, a timeout, or a retry of a failed refund), it never pays twice: a refund that
 *   completed answers `completed` again without calling the provider, one that failed is tried
 *   again, one in flight is looked up at the provider (the reference is sent to it as the
 *   idempotency key). It records the refund (one row per reference) and answers `manual` for a
 *   cash-on-delivery order without calling the provider. It throws only when its own
 *   infrastructure fails; the returns module treats a throw as `failed`.
 * - `markRefunded` runs INSIDE the caller's transaction `tx`, once the refund `reference` is paid
 *   (by the provider, or out of band for a manual one, which it then records as paid): it sets
 *   the order's `payment_status` to `refunded` when the refunds of its payment reach the captured
 *   amount, else `partially_refunded`. Idempotent by `reference`.
 */
export abstract class ReturnRefunds {
  abstract refund(r: ReturnRefundRequest): Promise<ReturnRefundOutcome>;
  abstract markRefunded(tx: Tx, r: ReturnRefundRequest): Promise<void>;
}
