import type { ProductCategory } from '../products/product-shape';
import type { ReturnableFulfillment } from './ports/returnable-orders';

export const RETURN_REASONS = [
  'defective',
  'not_as_described',
  'wrong_item',
  'changed_mind',
  'other',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** Categories that cannot come back for a change of mind (hygiene, perishables). */
export const NO_CHANGE_OF_MIND: readonly ProductCategory[] = ['food', 'beauty'];

/** One line of a delivered fulfillment, as the rules see it (integer tiyn). */
export interface ReturnableLine {
  orderItemId: string;
  category: ProductCategory;
  price: number;
  /** Bought on the order. */
  quantity: number;
  /** Already held by other returns (requested, escalated, approved, received or refunded). */
  alreadyReturned: number;
}

export interface RequestedLine {
  orderItemId: string;
  quantity: number;
  reason: ReturnReason;
}

export type ReturnRefusal =
  | {
      code: 'RETURN_NOT_ALLOWED';
      why: 'not_delivered' | 'not_paid' | 'window_passed' | 'category';
      itemId?: string;
    }
  | { code: 'RETURN_QUANTITY_EXCEEDED'; itemId: string; requested: number; returnable: number }
  | { code: 'BAD_REQUEST'; why: 'foreign_line' | 'duplicate_line'; itemId: string };

/**
 * May these lines of one fulfillment come back? `deliveredAt` null means it was never delivered;
 * `paid` false that the order's payment is not captured (cash on delivery is collected when every
 * parcel is delivered): nothing was paid, so a return has nothing to refund — the seller moves the
 * parcel to `refunded` instead, which takes it off what is collected. The first refusal found is
 * answered (a client fixes one thing at a time); null when allowed.
 */
export function refuseReturn(
  lines: ReadonlyMap<string, ReturnableLine>,
  requested: readonly RequestedLine[],
  deliveredAt: Date | null,
  now: Date,
  windowMs: number,
  paid = true,
): ReturnRefusal | null {
  const seen = new Set<string>();
  for (const r of requested) {
    if (!lines.has(r.orderItemId))
      return { code: 'BAD_REQUEST', why: 'foreign_line', itemId: r.orderItemId };
    if (seen.has(r.orderItemId)) {
      return { code: 'BAD_REQUEST', why: 'duplicate_line', itemId: r.orderItemId };
    }
    seen.add(r.orderItemId);
  }
  if (!deliveredAt) return { code: 'RETURN_NOT_ALLOWED', why: 'not_delivered' };
  if (!paid) return { code: 'RETURN_NOT_ALLOWED', why: 'not_paid' };
  if (now.getTime() - deliveredAt.getTime() > windowMs) {
    return { code: 'RETURN_NOT_ALLOWED', why: 'window_passed' };
  }
  for (const r of requested) {
    const line = lines.get(r.orderItemId)!;
    if (r.reason === 'changed_mind' && NO_CHANGE_OF_MIND.includes(line.category)) {
      return { code: 'RETURN_NOT_ALLOWED', why: 'category', itemId: r.orderItemId };
    }
    const returnable = line.quantity - line.alreadyReturned;
    if (r.quantity > returnable) {
      return {
        code: 'RETURN_QUANTITY_EXCEEDED',
        itemId: r.orderItemId,
        requested: r.quantity,
        returnable,
      };
    }
  }
  return null;
}

/**
 * The refund of a return, in tiyn: Σ price × quantity of the returned lines, plus the
 * fulfillment's delivery cost when every line of the fulfillment comes back in full (counting
 * what earlier returns took back) and no returned line's reason is `changed_mind`.
 * Returns the items part and the delivery part separately (the ledger and the commission reversal
 * need the items part alone).
 */
export function refundAmount(
  lines: ReadonlyMap<string, ReturnableLine>,
  returned: readonly RequestedLine[],
  deliveryCost: number,
): { items: number; delivery: number; total: number } {
  let items = 0;
  const back = new Map<string, number>();
  for (const r of returned) {
    const line = lines.get(r.orderItemId);
    if (!line) throw new RangeError(`line ${r.orderItemId} is not on the fulfillment`);
    items += line.price * r.quantity;
    back.set(r.orderItemId, (back.get(r.orderItemId) ?? 0) + r.quantity);
  }
  const everyLineInFull = [...lines.values()].every(
    (l) => l.alreadyReturned + (back.get(l.orderItemId) ?? 0) >= l.quantity,
  );
  const changedMind = returned.some((r) => r.reason === 'changed_mind');
  const delivery = everyLineInFull && !changedMind ? deliveryCost : 0;
  return { items, delivery, total: items + delivery };
}

/** The lines of a fulfillment as the rules see them, with what `held` counts as already returned. */
export function returnableLines(
  f: ReturnableFulfillment,
  held: ReadonlyMap<string, number>,
): Map<string, ReturnableLine> {
  return new Map(
    f.lines.map((l) => [
      l.orderItemId,
      {
        orderItemId: l.orderItemId,
        category: l.category,
        price: l.price,
        quantity: l.quantity,
        alreadyReturned: held.get(l.orderItemId) ?? 0,
      },
    ]),
  );
}
