import {
  DataSource,
  EntitySubscriberInterface,
  InsertEvent,
  ObjectLiteral,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';

import { CacheSignal, cacheSignalOf } from './cache-signal';

/** What a subscriber listens to: an entity class (or its name). */
type Listened = ReturnType<NonNullable<EntitySubscriberInterface['listenTo']>>;

export { SHARED_DB_MAX_AGE_MS } from './cache-signal';
/** Longer than any transaction runs (the SQLite busy timeout is 5 s by default). */
const STUCK_MS = 60_000;

interface SqliteHandle {
  prepare(sql: string): { pluck(): { get(): unknown } };
}

const readers = new WeakMap<SqliteHandle, { get: () => unknown }>();

/**
 * `PRAGMA data_version` of one SQLite connection, read at most once per turn of the event loop
 * and shared by every table's version: an authenticated request asks it for its account, its
 * session and (the balance) its seller's summary, about 5 % of that request's CPU when each
 * asked the database. A commit by another process during a turn is seen on the next one.
 */
function dataVersionOf(db: SqliteHandle): { get: () => unknown } {
  let reader = readers.get(db);
  if (!reader) {
    const stmt = db.prepare('PRAGMA data_version').pluck();
    let value: unknown;
    let fresh = false;
    const stale = () => (fresh = false);
    reader = {
      get: () => {
        if (!fresh) {
          value = stmt.get();
          fresh = true;
          setImmediate(stale);
        }
        return value;
      },
    };
    readers.set(db, reader);
  }
  return reader;
}

/**
 * The version of one table, for caches of what was read from it. It moves whenever a row is
 * written through TypeORM (this entity subscriber sees the API's writes, query-builder updates and
 * tests' repository writes alike) and again when the transaction that wrote it ends, committed or
 * rolled back.
 * While such a transaction is open, `snapshot()` is null: a read made then may see rows that are
 * not committed yet (SQLite's one connection) or miss rows about to be (PostgreSQL), so it must
 * not be cached.
 *
 * Another process's writes: on SQLite the snapshot includes `PRAGMA data_version`, which changes
 * whenever any other connection commits (read once per event-loop turn: dataVersionOf); on PostgreSQL it includes the table's token in the
 * CacheSignal, which the LISTEN connection (CacheListener) moves on every other process's commit
 * to the table. There cached reads expire after LISTENED_MAX_AGE_MS (a safety net), or after
 * SHARED_DB_MAX_AGE_MS while the listener is not connected.
 */
export class EntityVersion<T extends ObjectLiteral> implements EntitySubscriberInterface<T> {
  private n = 0;
  /** Transactions that wrote the table and have not ended, with when they first did. */
  private readonly open = new Map<QueryRunner, number>();
  private readonly dataVersion?: { get: () => unknown };
  private readonly signal?: CacheSignal;
  private readonly table: string;

  constructor(
    ds: DataSource,
    private readonly target: Listened,
  ) {
    ds.subscribers.push(this);
    if (ds.options.type === 'better-sqlite3') {
      const db = (ds.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
      this.dataVersion = dataVersionOf(db);
    }
    this.signal = cacheSignalOf(ds);
    this.table = ds.getMetadata(target).tableName;
  }

  /** How long a cached read stays valid (Infinity when the snapshot sees every writer). */
  get maxAgeMs(): number {
    return this.signal ? this.signal.maxAgeMs : Infinity;
  }

  /** Calls `fn` when another process changed the table (PostgreSQL; on SQLite never). */
  onRemoteChange(fn: () => void): void {
    this.signal?.watch(this.table, fn);
  }

  listenTo(): Listened {
    return this.target;
  }

  afterInsert(e: InsertEvent<T>) {
    this.written(e.queryRunner);
  }
  afterUpdate(e: UpdateEvent<T>) {
    this.written(e.queryRunner);
  }
  afterRemove(e: RemoveEvent<T>) {
    this.written(e.queryRunner);
  }
  afterTransactionCommit(e: TransactionCommitEvent) {
    this.ended(e.queryRunner);
  }
  afterTransactionRollback(e: TransactionRollbackEvent) {
    this.ended(e.queryRunner);
  }

  /** Moves the version (also for writes the subscriber cannot see, e.g. raw SQL). */
  bump(): void {
    this.n++;
  }

  /**
   * A write the subscriber cannot see (raw SQL) was made through this query runner: as for a
   * write through TypeORM, the version moves now and again when its transaction ends, and no
   * read is cached while it is open. A repository that writes the table by SQL calls it.
   */
  wrote(qr: QueryRunner | undefined): void {
    this.written(qr);
  }

  /**
   * A token that changes whenever the table may have: compare a cached read's token with the
   * current one. Null while a write to it is in an open transaction: do not cache then.
   */
  snapshot(): string | null {
    if (this.open.size && !this.forgetStuck()) return null;
    if (this.signal) return `${this.n}:${this.signal.token(this.table)}`;
    if (!this.dataVersion) return String(this.n);
    return `${this.n}:${String(this.dataVersion.get())}`;
  }

  private written(qr: QueryRunner | undefined) {
    this.n++;
    if (qr?.isTransactionActive && !this.open.has(qr)) this.open.set(qr, Date.now());
  }

  /**
   * A transaction whose end was never broadcast (its COMMIT and ROLLBACK both failed) must not
   * turn caching off for good: after STUCK_MS it is forgotten. True when none is left open.
   */
  private forgetStuck(): boolean {
    const now = Date.now();
    for (const [qr, since] of this.open) {
      if (now - since > STUCK_MS) {
        this.open.delete(qr);
        this.n++;
      }
    }
    return this.open.size === 0;
  }

  private ended(qr: QueryRunner) {
    // a nested transaction (savepoint) ending leaves the outer one open
    if (qr.isTransactionActive || !this.open.delete(qr)) return;
    this.n++;
  }
}
