/**
 * The port the cart asks about a product's seller, answered from memory (no query on the cart's
 * path). The cart owns the question; the shops module binds the answer (`SellerStanding`,
 * provided globally by ShopsModule, since the cart must not import shops).
 */
export abstract class CartSellerGate {
  /**
   * May the seller's products be sold (not suspended; with SELLER_APPROVAL=manual, approved
   * once)? A hidden seller's lines stay in the cart, shown `is_active: false`.
   */
  abstract canSell(sellerId: string): boolean;
  /** The shop is on holiday: its products stay listed but take no new or larger cart lines. */
  abstract onHoliday(sellerId: string): boolean;
}
