import type { RefundStatus } from './payment-refund.entity';
import { REFUND_STATUSES } from './payment-refund.entity';

/** How a refund goes back: through the payment provider, or out of band (cash on delivery). */
export const REFUND_METHODS = ['provider', 'manual'] as const;
export type RefundMethod = (typeof REFUND_METHODS)[number];

/** A refund's status on the wire, whatever its method. */
export const WIRE_REFUND_STATUSES = ['pending', 'completed', 'failed'] as const;
export type WireRefundStatus = (typeof WIRE_REFUND_STATUSES)[number];

/**
 * The stored status as a client sees it: `manual` is a manual refund still owed (`pending`),
 * `paid` a manual refund marked paid (`completed`); provider refunds keep theirs.
 */
const WIRE: Record<RefundStatus, { method: RefundMethod; status: WireRefundStatus }> = {
  pending: { method: 'provider', status: 'pending' },
  completed: { method: 'provider', status: 'completed' },
  failed: { method: 'provider', status: 'failed' },
  manual: { method: 'manual', status: 'pending' },
  paid: { method: 'manual', status: 'completed' },
};

export const wireRefund = (status: RefundStatus) => WIRE[status];

/** The stored statuses a list filter means (undefined: no filter; [] matches nothing). */
export function storedStatuses(
  status?: WireRefundStatus,
  method?: RefundMethod,
): RefundStatus[] | undefined {
  if (!status && !method) return undefined;
  return REFUND_STATUSES.filter(
    (s) => (!status || WIRE[s].status === status) && (!method || WIRE[s].method === method),
  );
}
