import { DataSource } from 'typeorm';

import { Product, ProductCategory } from '../../src/modules/products/product.entity';
import { insertProduct } from './products';

export interface CatalogProduct {
  name: string;
  description?: string;
  price: number;
  quantity?: number;
  category?: ProductCategory;
  isActive?: boolean;
  createdAt?: Date;
  soldCount?: number;
  /** [ratingSum, reviewCount] */
  reviews?: [number, number];
}

/**
 * A product with the counters that sorts use (sold_count, rating, created_at) set directly, so
 * that a listing test knows the exact order to expect.
 */
export async function insertCatalogProduct(
  ds: DataSource,
  sellerId: string,
  o: CatalogProduct,
): Promise<Product> {
  const p = await insertProduct(ds, sellerId, {
    name: o.name,
    description: o.description ?? '',
    price: o.price,
    quantity: o.quantity ?? 5,
    category: o.category ?? 'other',
    isActive: o.isActive ?? true,
  });
  const [sum, count] = o.reviews ?? [0, 0];
  const stats: Partial<Product> = {
    soldCount: o.soldCount ?? 0,
    ratingSum: sum,
    reviewCount: count,
    rating: count ? sum / count : 0,
  };
  if (o.createdAt) Object.assign(stats, { createdAt: o.createdAt, updatedAt: o.createdAt });
  await ds.getRepository(Product).update({ id: p.id }, stats);
  return ds.getRepository(Product).findOneByOrFail({ id: p.id });
}
