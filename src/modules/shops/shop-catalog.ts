/**
 * The port the shops module asks about a seller's catalog (the public shop page's
 * `product_count`). Bound in ShopsModule to the products module's `ProductsService`.
 */
export abstract class ShopCatalog {
  abstract activeProductCount(sellerId: string): Promise<number>;
}
