import type { DataSource } from 'typeorm';

/** The channel every cached table's trigger notifies on commit (migration CacheNotify). */
export const CACHE_CHANNEL = 'bibarys_cache';

/**
 * How long a cached read may be served on PostgreSQL while this process does not hear other
 * processes' commits (the listener is connecting, was cut, or PG_CACHE_LISTEN=false).
 */
export const SHARED_DB_MAX_AGE_MS = 1000;
/**
 * While the listener hears every commit, a cached read is still read again after this long: a
 * safety net for a notification lost without the connection dropping (none is known).
 */
export const LISTENED_MAX_AGE_MS = 60_000;

/** What one notification says: a table changed, and which process wrote it (its tag). */
export interface CacheNotice {
  table: string;
  sender: string;
}

const TABLE = /^[a-z_][a-z0-9_]*$/;

/**
 * Reads a payload the trigger wrote: `<table>|<application_name of the writer>`. Null when it is
 * not one (a NOTIFY by hand, a future format): the caller then drops every cache, which is always
 * safe.
 */
export function parseCacheNotice(payload: string | undefined): CacheNotice | null {
  if (!payload) return null;
  const bar = payload.indexOf('|');
  const table = bar < 0 ? payload : payload.slice(0, bar);
  if (!TABLE.test(table)) return null;
  return { table, sender: bar < 0 ? '' : payload.slice(bar + 1) };
}

/**
 * What this process knows of other processes' commits on PostgreSQL, shared by every
 * EntityVersion of one DataSource: a counter per table that the listener moves when a commit by
 * another process changed it, an epoch that moves when every cache must go (the listener
 * (re)connected: a commit may have been missed), and whether the listener hears commits now —
 * which decides how long a cached read stays valid.
 */
export class CacheSignal {
  private readonly tables = new Map<string, number>();
  private readonly watchers = new Map<string, Set<() => void>>();
  private epoch = 0;
  private live = false;

  /** The application_name of this process's pool connections: its own commits carry it. */
  constructor(readonly tag: string) {}

  /** A token that moves whenever another process changed the table (or may have). */
  token(table: string): string {
    return `${this.epoch}.${this.tables.get(table) ?? 0}`;
  }

  get listening(): boolean {
    return this.live;
  }

  /** How long a cached read of a table may be served. */
  get maxAgeMs(): number {
    return this.live ? LISTENED_MAX_AGE_MS : SHARED_DB_MAX_AGE_MS;
  }

  /** A notification arrived. This process's own commits are skipped: its subscribers saw them. */
  notice(payload: string | undefined): void {
    const n = parseCacheNotice(payload);
    if (!n) return this.flush();
    if (this.tag && n.sender === this.tag) return;
    this.tables.set(n.table, (this.tables.get(n.table) ?? 0) + 1);
    for (const fn of this.watchers.get(n.table) ?? []) fn();
  }

  /** Every cached read of every table is stale (the listener may have missed commits). */
  flush(): void {
    this.epoch++;
    for (const set of this.watchers.values()) for (const fn of set) fn();
  }

  /**
   * The listener hears commits from now on (`true`, after LISTEN succeeded: flushes once, since
   * commits made while it was away were not heard) or no longer does (`false`).
   */
  setListening(live: boolean): void {
    if (live) this.flush();
    this.live = live;
  }

  /** Calls `fn` after another process's commit changed the table (or may have). */
  watch(table: string, fn: () => void): void {
    let set = this.watchers.get(table);
    if (!set) this.watchers.set(table, (set = new Set()));
    set.add(fn);
  }
}

const signals = new WeakMap<DataSource, CacheSignal>();

/**
 * The CacheSignal of a PostgreSQL DataSource, tagged with its pool's application_name; undefined
 * on SQLite, where `PRAGMA data_version` shows every other process's commit.
 */
export function cacheSignalOf(ds: DataSource): CacheSignal | undefined {
  if (ds.options.type !== 'postgres') return undefined;
  let s = signals.get(ds);
  if (!s) {
    s = new CacheSignal(ds.options.applicationName ?? '');
    signals.set(ds, s);
  }
  return s;
}
