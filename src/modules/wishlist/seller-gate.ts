/**
 * The port the wishlist asks about a product's seller, answered from memory. The wishlist owns the
 * question; the shops module binds the answer (`SellerStanding`, provided globally by
 * ShopsModule, since the wishlist must not import shops).
 */
export abstract class WishlistSellerGate {
  /**
   * May the seller's products be sold? A hidden seller's (suspended; manual approval: never
   * approved) stay in the wishlist, shown `is_active: false`, and come back when reinstated.
   */
  abstract canSell(sellerId: string): boolean;
}
