/**
 * The SET of a rating moved by reviews, for a table with `review_count`, `rating_sum` and
 * `rating` (products, shops): the database adds the deltas to what is stored, so concurrent
 * reviews never lose one, and `rating` is recomputed from the new counters in the same statement.
 */
export function ratingCounterSet(countDelta: number, sumDelta: number) {
  const c = Number(countDelta);
  const s = Number(sumDelta);
  return {
    reviewCount: () => `review_count + ${c}`,
    ratingSum: () => `rating_sum + ${s}`,
    rating: () =>
      `CASE WHEN review_count + ${c} > 0 THEN CAST(rating_sum + ${s} AS REAL) / (review_count + ${c}) ELSE 0 END`,
  };
}
