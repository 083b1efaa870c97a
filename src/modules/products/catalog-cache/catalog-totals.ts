import { Injectable } from '@nestjs/common';

import { CatalogFilter, totalKey } from '../product-catalog.query';
import { CatalogVersion } from './catalog-version';

const MAX_CACHED_TOTALS = 1000;

/**
 * Listing totals by filter. The COUNT of a filter costs more than the page itself on a large
 * catalog (it visits every match): it is reused until the catalog version moves.
 */
@Injectable()
export class CatalogTotals {
  private readonly totals = new Map<
    string,
    { n: number; at: number; snap: string; sellers: ReadonlySet<string> | undefined }
  >();

  constructor(private readonly version: CatalogVersion) {}

  /** The filter's total: the kept one while still valid, else `count()` (kept when it may be). */
  async of(f: CatalogFilter, count: () => Promise<number>): Promise<number> {
    const key = totalKey(f);
    const now = Date.now();
    const snap = this.version.snapshot();
    // the sellers' set by identity: a total counted before a shop's move is never reused after it
    const sellers = f.sellers?.sellerIds;
    const hit = this.totals.get(key);
    if (
      hit &&
      hit.snap === snap &&
      hit.sellers === sellers &&
      now - hit.at < this.version.maxAgeMs
    ) {
      return hit.n;
    }
    const n = await count();
    if (snap === null || this.version.snapshot() !== snap) return n; // a write came between
    if (this.totals.size >= MAX_CACHED_TOTALS) this.totals.clear();
    this.totals.set(key, { n, at: now, snap, sellers });
    return n;
  }
}
