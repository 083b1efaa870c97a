import type { Tx } from '../../database/unit-of-work';

/** A return of a parcel that is not settled yet. */
export interface OpenParcelReturn {
  returnId: string;
  status: string;
}

/**
 * The question the order workflow asks before a delivered parcel moves to `refunded` (the orders
 * module owns it, like `commission-policy.ts`): is a return of it still open? The parcel refund
 * would otherwise give the buyer — and take from the seller — the returned lines' money that the
 * return is about to refund as well. The returns module answers it (`OpenReturns`, bound in
 * `returns-wiring.module.ts`).
 *
 * Contract: runs inside the moving transaction `tx`, one statement; writes nothing. Answers one
 * open return of any of the parcels, or null.
 */
export abstract class OpenParcelReturns {
  abstract openReturnOf(tx: Tx, fulfillmentIds: string[]): Promise<OpenParcelReturn | null>;
}
