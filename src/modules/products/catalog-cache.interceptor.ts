import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { map, Observable, of } from 'rxjs';
import { CatalogVersion } from './catalog-version';

/** Bounds of the cache: entries and the bytes of their bodies. */
const MAX_ENTRIES = 2000;
const MAX_BYTES = 16 * 1024 * 1024;

interface Entry {
  body: Buffer;
  snap: string;
  at: number;
}

/**
 * The public catalog reads (the listing and a product) kept in memory while the catalog has not
 * changed: the answer to a URL is kept as its JSON bytes together with the catalog version it was
 * read at (CatalogVersion), and served again until that version moves.
 *
 * Only 200 answers that are the same for every caller are kept: a listing (active products
 * only) and an active product. An inactive product, shown to its seller and admins only, is
 * never kept; an invalid query never reaches the cache (it fails validation on the miss path).
 * Nothing is kept while a catalog write is open, or when one ended during the read.
 */
@Injectable()
export class CatalogResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private lastSnap: string | null = null;

  constructor(private readonly version: CatalogVersion) {}

  /** The current catalog snapshot (null: do not cache now). */
  snapshot(): string | null {
    const snap = this.version.snapshot();
    if (snap !== this.lastSnap) this.clear(snap); // every entry is stale now
    return snap;
  }

  /** The stored answer to this URL, if it is still valid. */
  lookup(key: string): Buffer | undefined {
    const snap = this.snapshot();
    const hit = snap === null ? undefined : this.entries.get(key);
    if (hit && hit.snap === snap && Date.now() - hit.at < this.version.maxAgeMs) return hit.body;
    return undefined;
  }

  /** Keeps the answer read at `snap` when it may be kept; returns its JSON. */
  offer(key: string, value: unknown, snap: string | null, at: number): string {
    const body = JSON.stringify(value);
    if (snap !== null && sameForEveryone(value) && this.version.snapshot() === snap) {
      this.store(key, { body: Buffer.from(body), snap, at });
    }
    return body;
  }

  private store(key: string, e: Entry) {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    if (e.body.length > MAX_BYTES / 8) return;
    // the oldest first (a Map iterates in insertion order)
    for (const [k, v] of this.entries) {
      if (this.entries.size < MAX_ENTRIES && this.bytes + e.body.length <= MAX_BYTES) break;
      this.entries.delete(k);
      this.bytes -= v.body.length;
    }
    this.entries.set(key, e);
    this.bytes += e.body.length;
  }

  private clear(snap: string | null) {
    this.entries.clear();
    this.bytes = 0;
    this.lastSnap = snap;
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * On GET /products and GET /products/:id: a stored answer is served (`X-Cache: hit`), else the
 * handler runs and its answer is offered to the cache (`X-Cache: miss`).
 */
@Injectable()
export class CatalogCacheInterceptor implements NestInterceptor {
  constructor(private readonly cache: CatalogResponseCache) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (req.method !== 'GET') return next.handle();
    const key = req.originalUrl;
    const hit = this.cache.lookup(key);
    if (hit) {
      res.setHeader('Content-Type', JSON_TYPE);
      res.setHeader('X-Cache', 'hit');
      return of(hit.toString());
    }
    const snap = this.cache.snapshot();
    const at = Date.now();
    return next.handle().pipe(
      map((value: unknown) => {
        res.setHeader('Content-Type', JSON_TYPE);
        res.setHeader('X-Cache', 'miss');
        return this.cache.offer(key, value, snap, at);
      }),
    );
  }
}

/**
 * Express middleware in front of the framework for anonymous catalog GETs: a stored answer is
 * written straight away, after the request id, security and CORS headers, without routing,
 * guards, pipes or interceptors (a stored URL already passed them all, and its answer is the same
 * for every caller). A request with credentials, or a miss, goes on to the framework as always.
 */
export function catalogFastPath(cache: CatalogResponseCache) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.headers.authorization !== undefined) return next();
    const body = cache.lookup(req.originalUrl);
    if (!body) return next();
    res.statusCode = 200;
    res.setHeader('Content-Type', JSON_TYPE);
    res.setHeader('Content-Length', body.length);
    res.setHeader('X-Cache', 'hit');
    res.end(body);
  };
}

/** A listing page, or a product that is active (an inactive one depends on who asks). */
function sameForEveryone(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  return (value as { is_active?: unknown }).is_active !== false;
}
