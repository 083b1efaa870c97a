import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { Product, ProductCategory } from '../../src/modules/products/product.entity';
import { StockMovement } from '../../src/modules/products/stock-movement.entity';

let n = 0;

/**
 * Writes a product straight into the database (price in KZT), with its opening stock movement.
 * For tests of other domains that need products without going through the catalog API.
 */
export async function insertProduct(
  ds: DataSource,
  sellerId: string,
  o: {
    name?: string;
    description?: string;
    price?: number;
    quantity?: number;
    category?: ProductCategory;
    isActive?: boolean;
  } = {},
): Promise<Product> {
  const name = o.name ?? `Товар ${++n}`;
  const description = o.description ?? 'Описание товара';
  const p = ds.getRepository(Product).create({
    id: randomUUID(),
    sellerId,
    name,
    description,
    price: Math.round((o.price ?? 1000) * 100),
    quantity: o.quantity ?? 10,
    category: o.category ?? 'other',
    imageUrls: [],
    isActive: o.isActive ?? true,
    nameSearch: name.toLowerCase(),
    searchText: `${name} ${description}`.toLowerCase(),
  });
  await ds.getRepository(Product).insert(p);
  if (p.quantity) {
    await ds
      .getRepository(StockMovement)
      .insert({ id: randomUUID(), productId: p.id, delta: p.quantity, reason: 'initial' });
  }
  return p;
}
