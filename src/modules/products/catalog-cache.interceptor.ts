import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable, of } from 'rxjs';
import { CatalogVersion } from './catalog-version';

/** Bounds of the cache: entries and the bytes of their bodies. */
const MAX_ENTRIES = 2000;
const MAX_BYTES = 16 * 1024 * 1024;

interface Entry {
  body: string;
  snap: string;
  at: number;
}

/**
 * Serves the public catalog reads (the listing and a product) from memory while the catalog has
 * not changed: the answer to a URL is kept as its JSON text together with the catalog version
 * it was read at (CatalogVersion), and served again until that version moves. A hit skips
 * validation, SQL and serialization; `X-Cache` says `hit` or `miss`.
 *
 * Only 200 answers that are the same for every caller are kept: a listing (active products
 * only) and an active product. An inactive product, shown to its seller and admins only, is
 * never kept; an invalid query never reaches the cache (it fails validation on the miss path).
 * Nothing is kept while a catalog write is open, or when one ended during the read.
 */
@Injectable()
export class CatalogCacheInterceptor implements NestInterceptor {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private lastSnap: string | null = null;

  constructor(private readonly version: CatalogVersion) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (req.method !== 'GET') return next.handle();
    const key = req.originalUrl;
    const snap = this.version.snapshot();
    const at = Date.now();
    if (snap !== this.lastSnap) this.clear(snap); // every entry is stale now
    const hit = snap === null ? undefined : this.entries.get(key);
    if (hit && hit.snap === snap && at - hit.at < this.version.maxAgeMs) {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('X-Cache', 'hit');
      return of(hit.body);
    }
    return next.handle().pipe(
      map((value: unknown) => {
        const body = JSON.stringify(value);
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('X-Cache', 'miss');
        if (snap !== null && sameForEveryone(value) && this.version.snapshot() === snap) {
          this.store(key, { body, snap, at });
        }
        return body;
      }),
    );
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

/** A listing page, or a product that is active (an inactive one depends on who asks). */
function sameForEveryone(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  return (value as { is_active?: unknown }).is_active !== false;
}
