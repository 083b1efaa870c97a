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

  constructor(
    private readonly version: EntityVersion<ObjectLiteral>,
    private readonly load: (id: string) => Promise<T | null>,
    private readonly copy: (row: T) => T,
    private readonly options: TableCacheOptions<T> = {},
  ) {}

  /** The row with this id: from memory while the table is unchanged, else read (and kept). */
  async get(id: string): Promise<T | null> {
    const snapshot = this.version.snapshot();
    const hit = this.entries.get(id);
    if (hit && snapshot !== null && hit.snapshot === snapshot) {
      const maxAge = Math.min(MAX_AGE_MS, this.version.maxAgeMs);
      const fresh = this.options.fresh?.(hit.row) ?? true;
      if (fresh && Date.now() - hit.at < maxAge) {
        // the least recently used goes first when full: an account in use stays, however many
        // others sign in once (first-in-first-out dropped the busiest accounts in turn)
        this.entries.delete(id);
        this.entries.set(id, hit);
        return this.copy(hit.row);
      }
    }
    if (hit) this.entries.delete(id);
    const row = await this.load(id);
    // kept only if nothing wrote the table while it was read
    if (row && snapshot !== null && this.version.snapshot() === snapshot) {
      if (this.entries.size >= (this.options.maxEntries ?? MAX_ENTRIES)) {
        this.entries.delete(this.entries.keys().next().value!);
      }
      this.entries.set(id, { row: this.copy(row), snapshot, at: Date.now() });
    }
    return row;
  }
}
