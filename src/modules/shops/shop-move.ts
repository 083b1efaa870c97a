import { DomainError } from '../../common/errors/domain-error';
import type { Tx } from '../../database/unit-of-work';
import type { Shop } from './shop.entity';
import type { ShopStatus } from './shop-workflow';
import type { ShopPatch, ShopsRepository } from './shops.repository';

/** A status move to record with a write: where to, who made it, why, what an edit replaced. */
export interface StatusMove {
  to: ShopStatus;
  by: string;
  reason: string | null;
  /** JSON of the legal and bank values an edit replaced. */
  previousValues?: string | null;
}

/**
 * Writes the patch (and the move's status) only while the shop is still in the status it was
 * read in, then the move's history row, in the caller's transaction. A racing change that came
 * first → 409 INVALID_TRANSITION and nothing is written.
 */
export async function writeShop(
  shops: ShopsRepository,
  tx: Tx,
  shop: Shop,
  patch: ShopPatch,
  move?: StatusMove,
): Promise<void> {
  const set = move ? { ...patch, status: move.to } : patch;
  if (!(await shops.updateIfStatus(tx, shop.id, shop.status, set))) {
    throw new DomainError(
      'INVALID_TRANSITION',
      'The shop changed meanwhile; reload and try again',
      { from: shop.status },
    );
  }
  if (!move) return;
  await shops.addHistory(tx, {
    shopId: shop.id,
    sellerId: shop.sellerId,
    fromStatus: shop.status,
    toStatus: move.to,
    reason: move.reason,
    changedBy: move.by,
    previousValues: move.previousValues ?? null,
  });
}
