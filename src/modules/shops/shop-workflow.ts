export const SHOP_STATUSES = [
  'draft',
  'pending_review',
  'approved',
  'rejected',
  'suspended',
] as const;
export type ShopStatus = (typeof SHOP_STATUSES)[number];

/** What moves a shop: the seller's submit and edits, the admin's decisions. */
export type ShopAction = 'submit' | 'edit' | 'approve' | 'reject' | 'suspend' | 'reinstate';
export type ShopMover = 'seller' | 'admin';

export interface ShopMove {
  to: ShopStatus;
  by: ShopMover;
  /** The move must carry a reason (it is mailed to the seller and kept in the history). */
  needsReason: boolean;
}

/**
 * The shop's whole state machine: for each status, the actions allowed from it and where they
 * lead. Anything not listed → 409 INVALID_TRANSITION. `edit` is the status an edit leaves behind
 * when it moves the shop (a rejected shop goes back to draft; an approved one whose legal or bank
 * fields change goes back to review — it keeps selling, `approved_at` stays set); an edit not
 * listed leaves the status as it is.
 */
export const SHOP_TRANSITIONS: Readonly<Record<ShopStatus, Partial<Record<ShopAction, ShopMove>>>> =
  {
    draft: { submit: { to: 'pending_review', by: 'seller', needsReason: false } },
    pending_review: {
      approve: { to: 'approved', by: 'admin', needsReason: false },
      reject: { to: 'rejected', by: 'admin', needsReason: true },
    },
    approved: {
      suspend: { to: 'suspended', by: 'admin', needsReason: true },
      edit: { to: 'pending_review', by: 'seller', needsReason: false },
    },
    rejected: { edit: { to: 'draft', by: 'seller', needsReason: false } },
    suspended: { reinstate: { to: 'approved', by: 'admin', needsReason: false } },
  };

/** The move an action makes from a status, or null when the workflow forbids it. */
export function moveFor(from: ShopStatus, action: ShopAction): ShopMove | null {
  return SHOP_TRANSITIONS[from][action] ?? null;
}

/** True when some action leads from one status to the other. */
export function canMove(from: ShopStatus, to: ShopStatus): boolean {
  return Object.values(SHOP_TRANSITIONS[from]).some((m) => m.to === to);
}

/**
 * Where an edit leaves the shop: a rejected shop → draft on any edit; an approved one → review
 * when a legal or bank field changed; otherwise unchanged.
 */
export function statusAfterEdit(from: ShopStatus, legalOrBankChanged: boolean): ShopStatus {
  const move = moveFor(from, 'edit');
  if (!move) return from;
  if (from === 'approved' && !legalOrBankChanged) return from;
  return move.to;
}

/** Selling rules of one shop (products listed and sold), by the approval mode. */
export interface StandingFacts {
  status: ShopStatus;
  /** Approved at least once (an edit that sends it back to review keeps this). */
  everApproved: boolean;
}

/**
 * May this shop's products be listed and sold? Suspended: never. With `manual` approval, only a
 * shop approved at least once; with `auto`, every shop (and a seller without one).
 */
export function maySell(facts: StandingFacts | null, mode: 'auto' | 'manual'): boolean {
  if (facts?.status === 'suspended') return false;
  if (mode === 'auto') return true;
  return facts?.everApproved ?? false;
}
