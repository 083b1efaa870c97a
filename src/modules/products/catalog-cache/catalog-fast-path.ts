import type { IncomingMessage, ServerResponse } from 'node:http';

import { Injectable } from '@nestjs/common';

import { ifNoneMatchHits, PUBLIC_CACHE_CONTROL } from '../../../common/http/cache-control';
import type { FrontDoorHandler } from '../../../common/http/front-door';
import type { HttpObserver, RouteObserver } from '../../../observability/http-observer';
import { requestIdOf } from '../../../observability/http-observer';
import { ProductsService } from '../products.service';
import { CachedAnswer, CatalogCache, etagOf } from './catalog-cache';
import { JSON_TYPE } from './catalog-cache.interceptor';
import { mayKeep } from './catalog-cacheable';

/** What the app gives the fast path (setupApp). */
export interface FastPathSetup {
  /** The API prefix with its leading slash (`/api/v1`). */
  prefix: string;
  observer: HttpObserver;
  /**
   * The headers the app's header middleware (helmet, CORS) put on an answer to a request from
   * `origin`, as `[name, value, …]`: the very same list object for the same outcome, so the fast
   * path can keep its own lists per list.
   */
  commonHeaders: (origin: string | undefined) => readonly string[];
}

const SLASH = 47;
const QUERY = 63;

/** The ids ParseUUIDPipe accepts, lower-case only (any other spelling goes to Express). */
const PRODUCT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Anonymous catalog GETs whose answer is stored (CatalogCache), answered in front of Express
 * (installFrontDoor): no router, middleware, guards, pipes or interceptors — a stored URL already
 * passed them all, and its answer is the same for every caller — or a bodiless 304 when
 * `If-None-Match` names its ETag. The headers are the ones the framework path sends: the app's
 * header middleware's (computed once per origin outcome), then the cache's; each stored answer
 * keeps its full header list, built at its first hit, so a hit copies one list and fills in its
 * request id. Counted and logged like every request (HttpObserver). A request with credentials,
 * another method, or a listing miss goes to Express as always.
 *
 * The first read of a product (`GET /products/{id}`, nothing after the id) is answered here too:
 * the controller's own service call (`ProductsService.get` for an anonymous caller, one statement),
 * the interceptor's JSON and ETag, kept under the interceptor's rules (the snapshot taken before
 * the read, nothing kept when a write came between), sent with `X-Cache: miss`. Anything but a
 * public answer (unknown, inactive or hidden product: a 404; a failure) is left to Express, which
 * reads again and answers as always, so errors keep their one shape.
 */
@Injectable()
export class CatalogFastPath {
  constructor(
    private readonly cache: CatalogCache,
    private readonly products: ProductsService,
  ) {}

  /** The front-door handler for this app. */
  handler({ prefix, observer, commonHeaders }: FastPathSetup): FrontDoorHandler {
    const base = `${prefix}/products`;
    const listing = observer.route('GET', base);
    const product = observer.route('GET', `${base}/:id`);
    return (req, res) => {
      if (req.method !== 'GET' || req.headers.authorization !== undefined) return false;
      const url = req.url ?? '';
      if (!url.startsWith(base)) return false;
      const next = url.charCodeAt(base.length); // NaN at the end
      if (next === next && next !== SLASH && next !== QUERY) return false;
      const hit = this.cache.lookup(url);
      const start = process.hrtime.bigint();
      if (hit) {
        this.answer(req, res, hit, commonHeaders(req.headers.origin), start, routeOf(url, base));
        return true;
      }
      const id = next === SLASH ? url.slice(base.length + 1) : '';
      if (!PRODUCT_ID.test(id)) return false;
      return this.firstRead(req, res, url, id, commonHeaders(req.headers.origin), start, product);
    };

    function routeOf(url: string, b: string): RouteObserver {
      const c = url.charCodeAt(b.length + 1);
      // `/products`, `/products?…`, `/products/`, `/products/?…` are the listing
      return url.length === b.length || url.charCodeAt(b.length) === QUERY || c !== c || c === QUERY
        ? listing
        : product;
    }
  }

  /** A product's first read (see the class): true when answered, false to leave it to Express. */
  private async firstRead(
    req: IncomingMessage,
    res: ServerResponse,
    url: string,
    id: string,
    common: readonly string[],
    start: bigint,
    route: RouteObserver,
  ): Promise<boolean> {
    const snap = this.cache.snapshot();
    const at = Date.now();
    let value: unknown;
    try {
      value = await this.products.get(undefined, id);
    } catch {
      return false;
    }
    if (!mayKeep('public', value)) return false;
    const body = JSON.stringify(value);
    const etag = etagOf(body);
    this.cache.keep(url, body, etag, snap, at);
    this.answer(req, res, { body: Buffer.from(body), etag }, common, start, route, 'miss');
    return true;
  }

  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    hit: CachedAnswer,
    common: readonly string[],
    start: bigint,
    route: RouteObserver,
    cache: 'hit' | 'miss' = 'hit',
  ): void {
    const id = requestIdOf(req);
    if (ifNoneMatchHits(req.headers['if-none-match'], hit.etag)) {
      const head = headersOf(common, hit, false, cache);
      head[1] = id;
      res.writeHead(304, head);
      res.end();
      route.answered(req, id, 304, start);
      return;
    }
    let full = cache === 'hit' ? hit.heads?.get(common) : headersOf(common, hit, true, cache);
    if (!full) {
      full = headersOf(common, hit, true, cache);
      (hit.heads ??= new Map()).set(common, full);
    }
    const head = full.slice();
    head[1] = id;
    res.writeHead(200, head);
    res.end(hit.body);
    route.answered(req, id, 200, start);
  }
}

/**
 * The headers of a stored answer, in the framework path's order: the request id (a slot at index
 * 1 to fill in), the app's common headers with Authorization added to their Vary, the public
 * cache headers, and — with a body — its type and length.
 */
function headersOf(
  common: readonly string[],
  hit: CachedAnswer,
  body: boolean,
  cache: 'hit' | 'miss',
): string[] {
  const head = ['X-Request-Id', ''];
  let vary = false;
  for (let i = 0; i < common.length; i += 2) {
    const isVary = common[i].toLowerCase() === 'vary';
    vary ||= isVary;
    head.push(common[i], isVary ? `${common[i + 1]}, Authorization` : common[i + 1]);
  }
  if (!vary) head.push('Vary', 'Authorization');
  head.push('Cache-Control', PUBLIC_CACHE_CONTROL, 'ETag', hit.etag, 'X-Cache', cache);
  if (body) head.push('Content-Type', JSON_TYPE, 'Content-Length', String(hit.body.length));
  return head;
}
