import { createHash } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import { SHOP_STANDING_CHANGED } from '../../../common/events';
import type { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/app-config';
import { CatalogVersion } from './catalog-version';

/** A kept answer: its JSON bytes and their strong ETag, computed once when stored. */
export interface CachedAnswer {
  body: Buffer;
  etag: string;
  /** The fast path's full header lists for this answer, built at its first hit (CatalogFastPath). */
  heads?: Map<readonly string[], string[]>;
}

interface Entry extends CachedAnswer {
  snap: string;
  at: number;
}

/** The strong ETag of a JSON body: a quoted digest of its bytes. */
export const etagOf = (body: string | Buffer): string =>
  `"${createHash('sha1').update(body).digest('base64url')}"`;

/**
 * The public catalog reads (the listing and a product) kept in memory while the catalog has not
 * changed: the answer to a URL is kept as its JSON bytes together with the catalog version it was
 * read at (CatalogVersion), and served again until that version moves.
 *
 * Only answers the handler declares the same for every caller are offered (see CatalogCached):
 * a listing (active products only) and a product the service marked public. An invalid query
 * never reaches the cache (it fails validation on the miss path). Nothing is kept while a catalog
 * write is open, or when one ended during the read.
 *
 * Exported by ProductsModule for changes the products table does not show: another module that
 * changes what the catalog may show (a suspended shop hides its products) calls `invalidateAll()`
 * after its change committed.
 */
@Injectable()
export class CatalogCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private lastSnap: string | null = null;
  /** Bounds: entries, and the bytes of their bodies (CATALOG_CACHE_ENTRIES, CATALOG_CACHE_MB). */
  private readonly maxEntries: number;
  private readonly maxBytes: number;

  constructor(
    private readonly version: CatalogVersion,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'caches'>,
  ) {
    this.maxEntries = config.caches.catalogEntries;
    this.maxBytes = config.caches.catalogBytes;
  }

  /**
   * Drops every kept answer and listing total, in this process, at once: the next read of the
   * catalog goes to the database. Call it after the change committed (a read that started before
   * is not kept either). Other server processes on PostgreSQL see the commit's notification (or,
   * while their listener is down, expire entries after SHARED_DB_MAX_AGE_MS).
   */
  invalidateAll(): void {
    this.version.bump();
    this.entries.clear();
    this.bytes = 0;
  }

  /**
   * A shop's move changed whose products may be shown (emitted after the commit, once the
   * sellers' filter shows it, and awaited before the admin's answer): nothing read before it may
   * be served again, by the fast path included.
   */
  @OnEvent(SHOP_STANDING_CHANGED, { suppressErrors: false })
  onSellerStandingChanged(): void {
    this.invalidateAll();
  }

  /** The current catalog snapshot (null: do not cache now). */
  snapshot(): string | null {
    const snap = this.version.snapshot();
    if (snap !== this.lastSnap) this.clear(snap); // every entry is stale now
    return snap;
  }

  /** The stored answer to this URL, if it is still valid. */
  lookup(key: string): CachedAnswer | undefined {
    const snap = this.snapshot();
    const hit = snap === null ? undefined : this.entries.get(key);
    if (hit && hit.snap === snap && Date.now() - hit.at < this.version.maxAgeMs) return hit;
    return undefined;
  }

  /**
   * Keeps the JSON `body` (with its `etag`) of an answer read at `snap` (the same for every
   * caller) when the catalog has not moved since.
   */
  keep(key: string, body: string, etag: string, snap: string | null, at: number): void {
    if (snap !== null && this.version.snapshot() === snap) {
      this.store(key, { body: Buffer.from(body), etag, snap, at });
    }
  }

  private store(key: string, e: Entry) {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    if (e.body.length > this.maxBytes / 8) return;
    // the oldest first (a Map iterates in insertion order)
    for (const [k, v] of this.entries) {
      if (this.entries.size < this.maxEntries && this.bytes + e.body.length <= this.maxBytes) break;
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
