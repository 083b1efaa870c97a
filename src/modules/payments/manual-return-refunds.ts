import type { Actor } from '../../common/auth/actor';

/**
 * The question `POST /admin/refunds/{id}/mark-paid` asks when the manual refund it marks paid is a
 * return's (the payments module owns it, like `orders/open-parcel-returns.ts`): the return must
 * move to `refunded` with its seller ledger entries in the same transaction as the refund row, and
 * payments may not import returns (returns imports payments). The returns module answers it
 * (`ReturnRefundService.markPaid`, bound in `returns/returns-wiring.module.ts`).
 *
 * Contract: marks the return's manual refund paid — the refund row `manual → paid`, the order's
 * payment status, the ledger and the buyer's mail — or throws the return's domain error (404
 * unknown, 409 not `received` with a `manual` refund).
 */
export abstract class ManualReturnRefunds {
  abstract markPaid(actor: Actor, returnId: string): Promise<void>;
}
