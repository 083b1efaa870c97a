import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';

import type { RateLimitValue } from '../../config/rate-limit-value';
import { UnitOfWork } from '../../database/unit-of-work';

/** The table of every counter (migration 1765300000000): `key`, `points`, `expire` (epoch ms). */
export const RATE_LIMIT_TABLE = 'rate_limits';

/** One counter as read or written: points counted in the window and when the window ends. */
export interface CounterState {
  consumed: number;
  /** Milliseconds until the window ends and the counter starts again (0: no window open). */
  msBeforeReset: number;
}

/** A partition's counter store: its name (the key prefix) and its limit. */
export interface CounterSpec {
  name: string;
  limit: RateLimitValue;
  /** `request` counters never give points back, so past the limit they stay past it. */
  counting: 'request' | 'attempt' | 'failure';
}

const toState = (r: RateLimiterRes | null): CounterState =>
  r ? { consumed: r.consumedPoints, msBeforeReset: Math.max(0, r.msBeforeNext) } : empty();
const empty = (): CounterState => ({ consumed: 0, msBeforeReset: 0 });

/**
 * Every query on `rate_limits`, through rate-limiter-flexible's own stores over the connection
 * TypeORM already holds: `RateLimiterPostgres` over its pg Pool, `RateLimiterSQLite` (storeType
 * `better-sqlite3`) over its one better-sqlite3 connection. The table comes from a migration, so
 * the stores never create it (`tableCreated`).
 *
 * On SQLite that connection is shared with every TypeORM transaction, and a statement issued
 * while another request's transaction is open would join it (and be undone by its rollback).
 * So on SQLite each write takes its turn in the UnitOfWork's write queue (`exclusive`: between
 * transactions, where the store's own synchronous transaction runs); reads need no turn.
 * PostgreSQL's store runs each upsert as one atomic statement on the pool.
 */
@Injectable()
export class RateLimitCounters {
  private readonly stores = new Map<string, RateLimiterStoreAbstract>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Adds a point before a request; `exceeded` when that point is past the limit (then, until the
   * window ends, this process answers `exceeded` from memory without a statement).
   */
  async consume(
    spec: CounterSpec,
    key: string,
  ): Promise<CounterState & { exceeded: boolean; fromMemory?: boolean }> {
    const store = this.store(spec) as RateLimiterStoreAbstract & {
      getInMemoryBlockMsBeforeExpire(rlKey: string): number;
    };
    const blockedMs = store.getInMemoryBlockMsBeforeExpire(store.getKey(key));
    if (blockedMs > 0) {
      return {
        consumed: spec.limit.points + 1,
        msBeforeReset: blockedMs,
        exceeded: true,
        fromMemory: true,
      };
    }
    const res = await this.write(() =>
      this.store(spec)
        .consume(key)
        .then(
          (r) => ({ r, exceeded: false }),
          (e: unknown) => {
            if (e instanceof RateLimiterRes) return { r: e, exceeded: true };
            throw e;
          },
        ),
    );
    const state = toState(res.r);
    // an in-memory block answers without the store, with no count: past the limit all the same
    if (res.exceeded) state.consumed = Math.max(state.consumed, spec.limit.points + 1);
    return { ...state, exceeded: res.exceeded };
  }

  /** Adds a point after the fact (a failure). */
  async add(spec: CounterSpec, key: string): Promise<CounterState> {
    return toState(await this.write(() => this.store(spec).penalty(key)));
  }

  /** Gives a point back (an attempt that did not fail). */
  async giveBack(spec: CounterSpec, key: string): Promise<CounterState> {
    return toState(await this.write(() => this.store(spec).reward(key)));
  }

  /** Starts the counter again (an attempt that succeeded). */
  async clear(spec: CounterSpec, key: string): Promise<CounterState> {
    await this.write(() => this.store(spec).delete(key));
    return empty();
  }

  async peek(spec: CounterSpec, key: string): Promise<CounterState> {
    return toState(await this.store(spec).get(key));
  }

  /** Deletes the counters whose window ended more than an hour ago (every store shares the table). */
  async deleteExpired(now = Date.now()): Promise<void> {
    const any = this.stores.values().next().value as
      (RateLimiterStoreAbstract & { clearExpired(ms: number): Promise<void> }) | undefined;
    if (any) await this.write(() => any.clearExpired(now - 3_600_000));
  }

  private write<T>(statement: () => Promise<T>): Promise<T> {
    return this.uow.exclusive(statement);
  }

  private store(spec: CounterSpec): RateLimiterStoreAbstract {
    let s = this.stores.get(spec.name);
    if (!s) {
      const options = {
        keyPrefix: spec.name,
        points: spec.limit.points,
        duration: spec.limit.durationSeconds,
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false, // RateLimits sweeps once for every store
        // once the store says a request counter is past its limit, this process refuses the key
        // from memory until the window ends: a flood of refused requests costs no database
        // write (the count in the table, which every process reads, is already past the limit).
        // Not for counters that give points back or are cleared: they may drop below again.
        inMemoryBlockOnConsumed: spec.counting === 'request' ? spec.limit.points + 1 : 0,
      };
      const driver = this.ds.driver as unknown as {
        master?: unknown;
        databaseConnection?: unknown;
      };
      s = this.uow.isSqlite
        ? new RateLimiterSQLite({
            ...options,
            storeClient: driver.databaseConnection,
            storeType: 'better-sqlite3',
          })
        : new RateLimiterPostgres({ ...options, storeClient: driver.master, storeType: 'pool' });
      this.stores.set(spec.name, s);
    }
    return s;
  }
}
