import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EntityVersion } from '../../../database/entity-version';
import { Product } from '../product.entity';

export { SHARED_DB_MAX_AGE_MS } from '../../../database/entity-version';

/**
 * The version of what the catalog shows, for caches of catalog reads (listing totals, listing
 * pages, products): the version of the `products` table (stock movements and review counters
 * write it too). See EntityVersion.
 */
@Injectable()
export class CatalogVersion extends EntityVersion<Product> {
  constructor(@InjectDataSource() ds: DataSource) {
    super(ds, Product);
  }
}
