import type { Provider } from '@nestjs/common';

import { ProductsRepository } from '../products.repository';

export { SHARED_DB_MAX_AGE_MS } from '../../../database/entity-version';

/**
 * The version of what the catalog shows, for caches of catalog reads (listing totals, listing
 * pages, products): the version of the `products` table (stock movements and review counters
 * write it too), an EntityVersion that ProductsRepository keeps. Also the injection token.
 */
export abstract class CatalogVersion {
  /** How long a cached read stays valid (Infinity when the snapshot sees every writer). */
  abstract readonly maxAgeMs: number;
  /** A token that moves whenever the catalog may have changed; null: do not cache now. */
  abstract snapshot(): string | null;
  /** Moves the version (for changes the table's writes do not show). */
  abstract bump(): void;
}

export const catalogVersionProvider: Provider = {
  provide: CatalogVersion,
  useFactory: (products: ProductsRepository): CatalogVersion => products.watchVersion(),
  inject: [ProductsRepository],
};
