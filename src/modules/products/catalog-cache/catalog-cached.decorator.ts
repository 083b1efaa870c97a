import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

import { CatalogCacheInterceptor } from './catalog-cache.interceptor';
import { CATALOG_CACHED, CatalogCacheable } from './catalog-cacheable';

/**
 * A public GET whose answers the catalog cache serves again until the catalog changes: every
 * answer (`all`, the default) or those the service marked with `publicAnswer` (`public`).
 * Documented with `If-None-Match` and its 304 (the document adds ETag and Cache-Control).
 */
export const CatalogCached = (cacheable: CatalogCacheable = 'all') =>
  applyDecorators(
    SetMetadata(CATALOG_CACHED, cacheable),
    UseInterceptors(CatalogCacheInterceptor),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The ETag of a copy the client holds: a 304 without a body while it is current',
    }),
    ApiResponse({
      status: 304,
      description: 'Not modified: the copy named by `If-None-Match` is current',
    }),
  );
