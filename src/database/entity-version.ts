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

/** What a subscriber listens to: an entity class (or its name). */
type Listened = ReturnType<NonNullable<EntitySubscriberInterface['listenTo']>>;

/**
 * How long a cached read may be served on PostgreSQL, where another server process's write is
 * not seen by this one. On SQLite `PRAGMA data_version` reveals every other process's
 * commit, so there is no age limit there.
 */
export const SHARED_DB_MAX_AGE_MS = 1000;
/** Longer than any transaction runs (the SQLite busy timeout is 5 s by default). */
const STUCK_MS = 60_000;

interface SqliteHandle {
  prepare(sql: string): { pluck(): { get(): unknown } };
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
 * whenever any other connection commits; on PostgreSQL cached reads expire after
 * SHARED_DB_MAX_AGE_MS.
 */
export class EntityVersion<T extends ObjectLiteral> implements EntitySubscriberInterface<T> {
  private n = 0;
  /** Transactions that wrote the table and have not ended, with when they first did. */
  private readonly open = new Map<QueryRunner, number>();
  private readonly dataVersion?: { get: () => unknown };
  /** How long a cached read stays valid (Infinity when the snapshot sees every writer). */
  readonly maxAgeMs: number;

  constructor(
    ds: DataSource,
    private readonly target: Listened,
  ) {
    ds.subscribers.push(this);
    if (ds.options.type === 'better-sqlite3') {
      const db = (ds.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
      this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    }
    this.maxAgeMs = this.dataVersion ? Infinity : SHARED_DB_MAX_AGE_MS;
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
   * A token that changes whenever the table may have: compare a cached read's token with the
   * current one. Null while a write to it is in an open transaction: do not cache then.
   */
  snapshot(): string | null {
    if (this.open.size && !this.forgetStuck()) return null;
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
