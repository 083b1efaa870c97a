import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, Observable, of } from 'rxjs';

import { PUBLIC_CACHE_CONTROL, varyOnAuthorization } from '../../../common/http/cache-control';
import { CatalogCache, etagOf } from './catalog-cache';
import { CATALOG_CACHED, CatalogCacheable, mayKeep } from './catalog-cacheable';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** The headers of a public catalog answer (the same for every caller). */
export function setPublicHeaders(res: Response, etag: string): void {
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
  varyOnAuthorization(res);
}

/**
 * On a handler marked CatalogCached: a stored answer is served (`X-Cache: hit`), else the
 * handler runs and its answer, when the handler declares it may be kept, is offered to the
 * cache (`X-Cache: miss`). A public answer carries its ETag and public Cache-Control; Express
 * answers 304 itself when `If-None-Match` matches that ETag (`req.fresh` in `res.send`).
 * Anything else keeps the personal default (`private, no-store`).
 */
@Injectable()
export class CatalogCacheInterceptor implements NestInterceptor {
  constructor(
    private readonly cache: CatalogCache,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (req.method !== 'GET') return next.handle();
    const key = req.originalUrl;
    const hit = this.cache.lookup(key);
    if (hit) {
      res.setHeader('Content-Type', JSON_TYPE);
      res.setHeader('X-Cache', 'hit');
      setPublicHeaders(res, hit.etag);
      return of(hit.body.toString());
    }
    const cacheable = this.reflector.get<CatalogCacheable | undefined>(
      CATALOG_CACHED,
      ctx.getHandler(),
    );
    const snap = this.cache.snapshot();
    const at = Date.now();
    return next.handle().pipe(
      map((value: unknown) => {
        res.setHeader('Content-Type', JSON_TYPE);
        res.setHeader('X-Cache', 'miss');
        const body = JSON.stringify(value);
        if (mayKeep(cacheable, value)) {
          const etag = etagOf(body);
          setPublicHeaders(res, etag);
          this.cache.keep(key, body, etag, snap, at);
        }
        return body;
      }),
    );
  }
}
