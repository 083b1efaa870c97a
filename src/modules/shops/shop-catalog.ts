/**
 * The port the shops module asks about a seller's catalog (the public shop page's
 * `product_count`). Bound in ShopsModule; the products module answers it.
 */
export abstract class ShopCatalog {
  abstract activeProductCount(sellerId: string): Promise<number>;
}

/**
 * Phase 1 binding: the products module exports no count of a seller's active products yet, so
 * this refuses loudly instead of guessing. Replace the binding in ShopsModule with an adapter over
 * the products service's method when it lands.
 */
export class ProductCountNotWired extends ShopCatalog {
  activeProductCount(): Promise<number> {
    return Promise.reject(
      new Error('ShopCatalog is not wired to the products module (no active product count yet)'),
    );
  }
}
