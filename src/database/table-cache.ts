import type { ObjectLiteral } from 'typeorm';

import type { EntityVersion } from './entity-version';

/** Rows kept at most by default (a Map in order of last use: the least recently used goes first). */
const MAX_ENTRIES = 10_000;
/** Even where every writer is seen (SQLite), an entry is read again after this long. */
const MAX_AGE_MS = 30_000;

export interface TableCacheOptions<T> {
  /** Rows kept at most (default 10,000). */
  maxEntries?: number;
  /**
   * False when a kept row is out of date for a reason other than a write (a balance whose money
   * on hold was released since it was read): it is then read again.
   */
  fresh?: (row: T) => boolean;
}

interface Entry<T> {
  row: T;
  snapshot: string;
  at: number;
  /** The cache's `used` count when this entry was put at the end of the order. */
  used: number;
}

/**
 * Rows of one table by id, kept in memory until the table changes: the reads that every
 * authenticated request makes (its account, its session) cost one SELECT per row per change of
 * the table instead of one per request. A write through TypeORM anywhere in this process
 * invalidates every entry at once, nothing read during an open write to the table is kept, and
 * another process's commit is seen at once on SQLite (`data_version`) and on PostgreSQL as soon
 * as its notification arrives (within SHARED_DB_MAX_AGE_MS, 1 s, while the listener is away; see
 * EntityVersion and CacheListener).
 *
 * Each caller gets its own copy (`copy`): a handler that changes the object cannot change the
 * cache. It keeps no query of its own: `load` is the owning repository's read.
 */
export class TableCache<T extends ObjectLiteral> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly max: number;
  /** Half the bound: how far back in the order a row must be before a hit moves it. */
  private readonly half: number;
  /** Counts insertions and moves: an entry's `used` is its place in the Map's order. */
  private used = 0;

  constructor(
    private readonly version: EntityVersion<ObjectLiteral>,
    private readonly load: (id: string) => Promise<T | null>,
    private readonly copy: (row: T) => T,
    private readonly options: TableCacheOptions<T> = {},
  ) {
    this.max = options.maxEntries ?? MAX_ENTRIES;
    this.half = Math.max(1, Math.floor(this.max / 2));
  }

  /**
   * The row with this id if it is kept and current, synchronously; undefined when it has to be
   * read (`get`). A hot path answers from memory with no promise in between.
   */
  peek(id: string): T | undefined {
    const snapshot = this.version.snapshot();
    const hit = this.entries.get(id);
    if (!hit || snapshot === null || hit.snapshot !== snapshot) return undefined;
    if (!(this.options.fresh?.(hit.row) ?? true)) return undefined;
    if (Date.now() - hit.at >= Math.min(MAX_AGE_MS, this.version.maxAgeMs)) return undefined;
    // the least recently used goes first when full: an account in use stays, however many others
    // sign in once (first-in-first-out dropped the busiest accounts in turn). A row is moved to
    // the end only once it is in the older half of the order, not on every hit: it can then
    // never reach the front while it is used at least once per half a cache of new rows.
    if (this.used - hit.used >= this.half) {
      hit.used = ++this.used;
      this.entries.delete(id);
      this.entries.set(id, hit);
    }
    return this.copy(hit.row);
  }

  /** The row with this id: from memory while the table is unchanged, else read (and kept). */
  async get(id: string): Promise<T | null> {
    const kept = this.peek(id);
    if (kept !== undefined) return kept;
    const snapshot = this.version.snapshot();
    this.entries.delete(id);
    const row = await this.load(id);
    // kept only if nothing wrote the table while it was read
    if (row && snapshot !== null && this.version.snapshot() === snapshot) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(id, { row: this.copy(row), snapshot, at: Date.now(), used: ++this.used });
    }
    return row;
  }
}
