import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';

import { CatalogCacheInterceptor } from './catalog-cache.interceptor';
import { CATALOG_CACHED, CatalogCacheable } from './catalog-cacheable';

/**
 * A public GET whose answers the catalog cache serves again until the catalog changes: every
 * answer (`all`, the default) or those the service marked with `publicAnswer` (`public`).
 */
export const CatalogCached = (cacheable: CatalogCacheable = 'all') =>
  applyDecorators(SetMetadata(CATALOG_CACHED, cacheable), UseInterceptors(CatalogCacheInterceptor));
