import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Counter } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';

import { Metrics } from '../observability/metrics';
import { batchWrites, flushWrites } from './sql';

/**
 * The handle of an open transaction. Services receive it from `UnitOfWork.run` and hand it to
 * repository methods; only repositories use it to query.
 */
export type Tx = EntityManager;

export interface RunOptions {
  /** PostgreSQL: hold the writes made through `write` and send them together before the COMMIT. */
  batchWrites?: boolean;
}

/** Attempts of a PostgreSQL transaction that hits a serialization failure or a deadlock. */
const MAX_ATTEMPTS = 6;
/** A BEGIN IMMEDIATE that took this long waited for another connection's write lock. */
const LOCK_WAIT_S = 0.001;
const BEGIN = 'BEGIN IMMEDIATE TRANSACTION';

const codeOf = (e: unknown): string | undefined => {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.code ?? err?.driverError?.code;
};
const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)/;

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
  private readonly retries: Counter<'db'>;
  private readonly gaveUp: Counter<'db'>;

  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    metrics: Metrics,
  ) {
    this.isSqlite = dataSource.options.type === 'better-sqlite3';
    this.retries = metrics.counter({
      name: 'bibarys_db_busy_retries_total',
      help:
        'Write transactions that had to wait for the database: sqlite, BEGIN IMMEDIATE waited for ' +
        "another connection's write lock (SQLite's busy handler retried); postgres, a " +
        'serialization failure or deadlock retried',
      labelNames: ['db'],
    });
    this.gaveUp = metrics.counter({
      name: 'bibarys_db_busy_failures_total',
      help: 'Write transactions given up because the database stayed busy (answered 503)',
      labelNames: ['db'],
    });
    const lockWait = metrics.counter({
      name: 'bibarys_sqlite_lock_wait_seconds_total',
      help: "Time write transactions waited for another connection's SQLite write lock",
    });
    const db = this.isSqlite ? 'sqlite' : 'postgres';
    this.retries.inc({ db }, 0); // shown from the first scrape on, not only after a retry
    this.gaveUp.inc({ db }, 0);
    if (this.isSqlite) {
      useImmediateTransactions(dataSource, (seconds, busy) => {
        if (busy) this.gaveUp.inc({ db: 'sqlite' });
        if (seconds < LOCK_WAIT_S) return;
        this.retries.inc({ db: 'sqlite' });
        lockWait.inc(seconds);
      });
    }
  }

  /**
   * Runs `work` in a write transaction. `batchWrites`: on PostgreSQL the writes that go through
   * `write` (`database/sql.ts`) wait and leave as one statement before the COMMIT — for work that
   * reads none of them back (see `batchWrites` there); SQLite sends them at once.
   */
  run<T>(work: (tx: Tx) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    if (!this.isSqlite) return this.runPostgres(work, opts);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * For work whose writes are one statement each and whose reads need no snapshot of their own
   * (a read, one conditional write, a read): on PostgreSQL every statement is its own
   * transaction on the pool (no BEGIN or COMMIT round trips; READ COMMITTED gives each statement
   * of a transaction a fresh snapshot anyway, so the reads see the same). The one difference: a
   * failure after the write leaves the write in place. On SQLite a transaction in the write
   * queue, as `run`: the one connection must not carry these statements into another request's
   * open transaction.
   */
  statements<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.isSqlite) return this.run(work);
    return work(this.dataSource.manager);
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

  private async runPostgres<T>(
    work: (tx: Tx) => Promise<T>,
    opts: RunOptions,
    attempt = 1,
  ): Promise<T> {
    try {
      return await this.dataSource.transaction(async (tx) => {
        if (opts.batchWrites) batchWrites(tx);
        const result = await work(tx);
        await flushWrites(tx);
        return result;
      });
    } catch (e) {
      const code = codeOf(e);
      const collided = code === '40001' || code === '40P01';
      if (collided && attempt < MAX_ATTEMPTS) {
        this.retries.inc({ db: 'postgres' });
        // the transactions that collided would collide again at once: wait a random moment
        await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
        return this.runPostgres(work, opts, attempt + 1);
      }
      if (collided) this.gaveUp.inc({ db: 'postgres' });
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
function useImmediateTransactions(
  dataSource: DataSource,
  onBegin: (waitedSeconds: number, busy: boolean) => void,
): void {
  type Stmt = { reader: boolean; run: (...a: unknown[]) => unknown };
  const runner = dataSource.driver.createQueryRunner('master') as unknown as {
    query: (q: string, ...rest: unknown[]) => Promise<unknown>;
    getStmt: (q: string) => Promise<Stmt>;
    __immediate?: boolean;
  };
  if (runner.__immediate) return;
  const original = runner.query.bind(runner);
  runner.query = (q: string, ...rest: unknown[]) =>
    original(q === 'BEGIN TRANSACTION' ? BEGIN : q, ...rest);
  // SQLite waits for a lock inside the statement (its busy handler sleeps and retries until
  // the busy timeout), so only the statement's own run tells how long BEGIN waited
  const getStmt = runner.getStmt.bind(runner);
  runner.getStmt = async (q: string) => {
    const stmt = await getStmt(q);
    if (q !== BEGIN) return stmt;
    return {
      reader: stmt.reader,
      run: (...a: unknown[]) => {
        const t0 = process.hrtime.bigint();
        let busy = false;
        try {
          return stmt.run(...a);
        } catch (e) {
          busy = SQLITE_BUSY.test(codeOf(e) ?? '');
          throw e;
        } finally {
          onBegin(Number(process.hrtime.bigint() - t0) / 1e9, busy);
        }
      },
    };
  };
  runner.__immediate = true;
}
