import type { Tx } from '../../database/unit-of-work';

/**
 * The port seller reviews move the shop's rating through: atomic counter deltas on the shop
 * (`review_count`, `rating_sum`, and `rating` from them), inside the review's transaction, so
 * concurrent reviews never lose one. The reviews module owns the question; the shops module
 * binds the answer (`ShopsService`, provided globally by ShopsModule: reviews must not import
 * shops).
 */
export abstract class SellerRatings {
  abstract applyReviewDelta(
    tx: Tx,
    sellerId: string,
    countDelta: number,
    sumDelta: number,
  ): Promise<void>;
}
