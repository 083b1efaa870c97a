import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntitySubscriberInterface,
  InsertEvent,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { Product } from './product.entity';

/**
 * How long a cached catalog read may be served on PostgreSQL, where another server process's
 * write is not seen by this one. On SQLite `PRAGMA data_version` reveals every other process's
 * commit, so there is no age limit there.
 */
export const SHARED_DB_MAX_AGE_MS = 1000;
/** Longer than any transaction runs (the SQLite busy timeout is 5 s by default). */
const STUCK_MS = 60_000;

interface SqliteHandle {
  prepare(sql: string): { pluck(): { get(): unknown } };
}

/**
 * The version of what the catalog shows, for caches of catalog reads (listing totals, listing
 * pages, products). It moves whenever a `products` row is written through TypeORM (this entity
 * subscriber sees the API's writes, stock movements, review counters and tests' repository
 * writes alike) and again when the transaction that wrote it ends, committed or rolled back.
 * While such a transaction is open, `snapshot()` is null: a read made then may see rows that are
 * not committed yet (SQLite's one connection) or miss rows about to be (PostgreSQL), so it must
 * not be cached.
 *
 * Another process's writes: on SQLite the snapshot includes `PRAGMA data_version`, which changes
 * whenever any other connection commits; on PostgreSQL cached reads expire after
 * SHARED_DB_MAX_AGE_MS.
 */
@Injectable()
export class CatalogVersion implements EntitySubscriberInterface<Product> {
  private n = 0;
  /** Transactions that wrote products and have not ended, with when they first did. */
  private readonly open = new Map<QueryRunner, number>();
  private readonly dataVersion?: { get: () => unknown };
  /** How long a cached read stays valid (Infinity when the snapshot sees every writer). */
  readonly maxAgeMs: number;

  constructor(@InjectDataSource() ds: DataSource) {
    ds.subscribers.push(this);
    if (ds.options.type === 'better-sqlite3') {
      const db = (ds.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
      this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    }
    this.maxAgeMs = this.dataVersion ? Infinity : SHARED_DB_MAX_AGE_MS;
  }

  listenTo() {
    return Product;
  }

  afterInsert(e: InsertEvent<Product>) {
    this.written(e.queryRunner);
  }
  afterUpdate(e: UpdateEvent<Product>) {
    this.written(e.queryRunner);
  }
  afterRemove(e: RemoveEvent<Product>) {
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
   * A token that changes whenever the catalog may have: compare a cached read's token with the
   * current one. Null while a catalog write is in an open transaction: do not cache then.
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
