/**
 * What the products module shows other modules of a product (cart, wishlist, orders, reviews,
 * analytics, shops): they `import type` this shape, never the entity.
 */
export const PRODUCT_CATEGORIES = [
  'electronics',
  'clothing',
  'food',
  'books',
  'toys',
  'sports',
  'home',
  'beauty',
  'other',
] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export interface ProductSnapshot {
  id: string;
  sellerId: string;
  name: string;
  /** tiyn */
  price: number;
  quantity: number;
  category: ProductCategory;
  imageUrls: string[];
  isActive: boolean;
}

/**
 * A product with everything its public answer (`ProductResponse`) shows: what
 * `ProductInventoryService.findByIds` returns, for modules that show products (wishlist) with
 * the products module's `toProductResponse`.
 */
export interface ProductDetails extends ProductSnapshot {
  description: string;
  rating: number;
  ratingSum: number;
  reviewCount: number;
  createdAt: Date;
  updatedAt: Date;
}
