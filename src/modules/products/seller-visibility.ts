/** Which sellers' products may be listed: all but `except`, or only those in `only`. */
export type SellerFilter =
  | { kind: 'except'; sellerIds: ReadonlySet<string> }
  | { kind: 'only'; sellerIds: ReadonlySet<string> };

/**
 * The port the catalog asks whose products it may show (suspended shops, and with
 * SELLER_APPROVAL=manual shops never approved, are hidden). Answered from memory, no query.
 * The products module owns the question; the shops module binds the answer (`SellerStanding`,
 * provided globally by ShopsModule, since products must not import shops). A change of the answer
 * is announced with SHOP_STANDING_CHANGED, after which CatalogCache drops what it kept.
 */
export abstract class SellerVisibility {
  /**
   * The listing filter. A new `sellerIds` set whenever the answer may have changed: callers may
   * compare it by identity to know whether something computed with it is still valid.
   */
  abstract sellerFilter(): SellerFilter;
  /** May the seller's products be listed, shown and sold? */
  abstract canSell(sellerId: string): boolean;
}
