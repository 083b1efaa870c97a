import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The handle of an open transaction. Services receive it from `UnitOfWork.run` and hand it to
 * repository methods; only repositories use it to query.
 */
export type Tx = EntityManager;

/** Attempts of a PostgreSQL transaction that hits a serialization failure or a deadlock. */
const MAX_ATTEMPTS = 6;

/**
 * Runs write transactions. SQLite has one connection: two transactions that interleave on it
 * corrupt each other, so on SQLite every write goes through one queue. PostgreSQL runs them in
 * parallel and retries the rare serialization failure or deadlock.
 *
 * Rule: the callback touches only the database (no HTTP, timers or hashing inside).
 */
@Injectable()
export class UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();
  readonly isSqlite: boolean;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
    if (this.isSqlite) useImmediateTransactions(dataSource);
  }

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.runPostgres(work);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * On SQLite, runs `work` in the write queue's next turn without opening a transaction: for a
   * statement on the raw connection that must not land inside another request's open transaction
   * (it opens its own, synchronously). On PostgreSQL, runs it at once.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (!this.isSqlite) return work();
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async runPostgres<T>(work: (tx: Tx) => Promise<T>, attempt = 1): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (e) {
      const err = e as { code?: string; driverError?: { code?: string } };
      const code = err.code ?? err.driverError?.code;
      if ((code === '40001' || code === '40P01') && attempt < MAX_ATTEMPTS) {
        // the transactions that collided would collide again at once: wait a random moment
        await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
        return this.runPostgres(work, attempt + 1);
      }
      throw e; // still failing: the error filter answers 503 with Retry-After
    }
  }
}

/**
 * better-sqlite3 has one shared query runner. Its transactions start with a deferred BEGIN, which
 * takes the write lock only at the first write: when another process (a second server, a backup)
 * wrote in between, the upgrade fails at once with SQLITE_BUSY instead of waiting. BEGIN IMMEDIATE
 * takes the write lock up front, so the busy timeout applies.
 */
function useImmediateTransactions(dataSource: DataSource): void {
  const runner = dataSource.driver.createQueryRunner('master') as unknown as {
    query: (q: string, ...rest: unknown[]) => Promise<unknown>;
    __immediate?: boolean;
  };
  if (runner.__immediate) return;
  const original = runner.query.bind(runner);
  runner.query = (q: string, ...rest: unknown[]) =>
    original(q === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : q, ...rest);
  runner.__immediate = true;
}
