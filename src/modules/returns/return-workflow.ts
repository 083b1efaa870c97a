export const RETURN_STATUSES = [
  'requested',
  'approved',
  'rejected',
  'cancelled',
  'escalated',
  'received',
  'refunded',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Who moves a return: its buyer, the seller of its fulfillment, an admin, or the escalation sweep. */
export type ReturnActor = 'buyer' | 'seller' | 'admin' | 'system';

/**
 * The return state machine (CONTRACT Part 2, Returns): every allowed move and who may make it.
 * Anything not listed → 409 INVALID_TRANSITION. `received → refunded` is made by the refund step
 * (the receive call, the recovery sweep, or an admin marking a manual refund paid), never directly
 * by a client; so it is listed for `system` and `admin` only.
 */
export const RETURN_TRANSITIONS: Readonly<
  Record<ReturnStatus, Partial<Record<ReturnStatus, readonly ReturnActor[]>>>
> = {
  requested: {
    approved: ['seller', 'admin'],
    rejected: ['seller', 'admin'],
    cancelled: ['buyer'],
    escalated: ['system'],
  },
  escalated: { approved: ['admin'], rejected: ['admin'] },
  approved: { received: ['seller', 'admin'] },
  received: { refunded: ['system', 'admin'] },
  rejected: {},
  cancelled: {},
  refunded: {},
};

export function canMoveReturn(from: ReturnStatus, to: ReturnStatus, who: ReturnActor): boolean {
  return RETURN_TRANSITIONS[from]?.[to]?.includes(who) ?? false;
}

/** Statuses in which a return still holds its quantities against the lines (not given up). */
export const HOLDING_STATUSES: readonly ReturnStatus[] = [
  'requested',
  'escalated',
  'approved',
  'received',
  'refunded',
];
