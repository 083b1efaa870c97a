import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

import { ifNoneMatchHits } from '../../../common/http/cache-control';
import { markRoute } from '../../../observability/http-observer';
import { CatalogCache } from './catalog-cache';
import { JSON_TYPE, setPublicHeaders } from './catalog-cache.interceptor';

/**
 * In front of the router for anonymous catalog GETs (ProductsModule mounts it): a stored answer
 * is written straight away, after the request id, security and CORS headers, without routing,
 * guards, pipes or interceptors (a stored URL already passed them all, and its answer is the same
 * for every caller) — or a bodiless 304 when `If-None-Match` names its ETag. A request with
 * credentials, or a miss, goes on to the framework as always.
 */
@Injectable()
export class CatalogFastPath implements NestMiddleware {
  constructor(private readonly cache: CatalogCache) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'GET' || req.headers.authorization !== undefined) return next();
    const hit = this.cache.lookup(req.originalUrl);
    if (!hit) return next();
    // mounted at the products prefix: `/` is the listing, anything else a product by id
    markRoute(req, req.path === '/' ? req.baseUrl : `${req.baseUrl}/:id`);
    setPublicHeaders(res, hit.etag);
    res.setHeader('X-Cache', 'hit');
    if (ifNoneMatchHits(req.headers['if-none-match'], hit.etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', JSON_TYPE);
    res.setHeader('Content-Length', hit.body.length);
    res.end(hit.body);
  }
}
