import { createHash } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { isUniqueViolation } from '../../database/db-errors';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { DomainError } from '../errors/domain-error';
import { IdempotencyRepository } from './idempotency.repository';

/** Keys are kept at least this long (the contract says 24 hours); older ones are cleaned lazily. */
export const KEEP_MS = 48 * 3600_000;
/** An in-progress row older than this belongs to a request that died: it may be taken over. */
export const STALE_MS = 2 * 60_000;
/** How long a duplicate waits for the first request before answering 409. */
export const WAIT_MS = 5_000;
const POLL_MS = 50;
const CLEANUP_EVERY = 200;

/**
 * The key of the idempotent request being handled: the interceptor puts it on the request, the
 * handler receives it with @IdempotencyOf() and may store its answer itself (completeWithin).
 */
export interface IdempotencyScope {
  userId: string;
  key: string;
  /** The answer was stored inside the handler's own transaction: nothing left to store. */
  stored: boolean;
  /**
   * The transaction that stored it: a retried transaction (PostgreSQL, after a deadlock or a
   * serialization failure) runs the handler's work again and must store the answer again.
   */
  storedIn?: Tx;
  /**
   * Set by the interceptor on a route marked `@Idempotent(op, { claimInHandler: true })`: no
   * claim was written before the handler; the handler claims the key inside its own transaction
   * (`claimWithin`), so the claim, the work and the stored answer are one write transaction.
   * Cleared when the interceptor falls back to the claim of its own (`begin`).
   */
  deferred?: { operation: string; hash: string };
  /** The transaction that claimed the key (a retried transaction claims it again). */
  claimedIn?: Tx;
}

/**
 * Thrown by `claimWithin` when another request holds the key (its claim or its stored answer):
 * the handler's transaction rolls back and the interceptor answers as for any duplicate.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('Idempotency-Key taken by another request');
  }
}

export type Begin = { kind: 'run' } | { kind: 'replay'; status: number; body: unknown };

/** Stable JSON: object keys sorted, so the same body hashes the same whatever the key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export const requestHash = (method: string, path: string, body: unknown) =>
  createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${stable(body)}`)
    .digest('hex');

/**
 * Idempotency-Key storage (IETF draft semantics), in the database so it holds across processes:
 * a row per (user, key) is inserted `in_progress` before the work runs, then holds the response.
 */
@Injectable()
export class IdempotencyService {
  private calls = 0;

  constructor(
    private readonly repo: IdempotencyRepository,
    private readonly uow: UnitOfWork,
  ) {}

  /** Claims the key for this request, or says what to answer instead (a stored response). */
  async begin(userId: string, key: string, operation: string, hash: string): Promise<Begin> {
    if (++this.calls % CLEANUP_EVERY === 1) await this.cleanup();
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if (await this.tryInsert(userId, key, operation, hash)) return { kind: 'run' };
      const row = await this.repo.find(userId, key);
      if (!row) continue; // deleted meanwhile (a 5xx or cleanup): try to claim again
      if (row.requestHash !== hash) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was already used with a different request',
        );
      }
      if (row.state === 'done') {
        if (Date.now() - new Date(row.createdAt).getTime() > KEEP_MS) {
          await this.uow.run((tx) => this.repo.deleteDone(tx, userId, key));
          continue;
        }
        return {
          kind: 'replay',
          status: row.responseStatus ?? 200,
          body: row.responseBody === null ? undefined : JSON.parse(row.responseBody),
        };
      }
      const lockedAt = new Date(row.lockedAt).getTime();
      if (Date.now() - lockedAt > STALE_MS) {
        // the first request died: take the key over (one taker wins the conditional update)
        const now = new Date();
        const before = new Date(now.getTime() - STALE_MS);
        if (await this.uow.run((tx) => this.repo.takeOverStale(tx, userId, key, before, now))) {
          return { kind: 'run' };
        }
      }
      if (Date.now() >= deadline) {
        throw new DomainError(
          'IDEMPOTENCY_IN_PROGRESS',
          'A request with this Idempotency-Key is still being processed; retry later',
        );
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /**
   * A deferred scope begins (no claim before the handler): the periodic cleanup that `begin`
   * runs, started in the background in a transaction of its own.
   */
  defer(scope: IdempotencyScope, operation: string, hash: string): void {
    scope.deferred = { operation, hash };
    if (++this.calls % CLEANUP_EVERY === 1) void this.cleanup().catch(() => undefined);
  }

  /**
   * The claim of a deferred scope (see `IdempotencyScope.deferred`), inside the handler's
   * transaction, before its work: the key `in_progress`, turned `done` by `completeWithin` in the
   * same transaction. On PostgreSQL a concurrent duplicate's claim waits here for this
   * transaction's end; when the key is taken (`IdempotencyKeyTaken`) the transaction rolls back.
   * Without a deferred scope it does nothing.
   */
  async claimWithin(tx: Tx, scope: IdempotencyScope | undefined): Promise<void> {
    const d = scope?.deferred;
    if (!scope || !d || scope.claimedIn === tx) return;
    try {
      await this.repo.insertInProgress(tx, {
        userId: scope.userId,
        key: scope.key,
        operation: d.operation,
        requestHash: d.hash,
        lockedAt: new Date(),
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new IdempotencyKeyTaken();
      throw e;
    }
    scope.claimedIn = tx;
  }

  /**
   * The answer of a deferred scope whose handler did not store it (a 4xx: its transaction rolled
   * back, claim included), as a new `done` key in a transaction of its own. False when another
   * request took the key meanwhile: the caller answers as for a duplicate (`begin`).
   */
  async completeDeferred(scope: IdempotencyScope, status: number, body: unknown): Promise<boolean> {
    const d = scope.deferred!;
    try {
      await this.uow.run((tx) =>
        this.repo.insertAnswered(
          tx,
          {
            userId: scope.userId,
            key: scope.key,
            operation: d.operation,
            requestHash: d.hash,
            lockedAt: new Date(),
          },
          { status, body: body === undefined ? null : JSON.stringify(body) },
        ),
      );
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /** Stores the answer for replays. */
  async complete(userId: string, key: string, status: number, body: unknown): Promise<void> {
    await this.uow.run((tx) => this.store(tx, userId, key, status, body));
  }

  /**
   * Stores the success answer of the idempotent request being handled inside the handler's own
   * transaction, so the work and its stored answer commit together: a crash can no longer leave
   * the work done with the key still `in_progress` (which a retry would take over after STALE_MS
   * and run again). Call it as the last write of the transaction the handler's success rests on;
   * without a scope (no key sent) it does nothing.
   */
  async completeWithin(
    tx: Tx,
    scope: IdempotencyScope | undefined,
    status: number,
    body: unknown,
  ): Promise<void> {
    if (!scope || (scope.stored && scope.storedIn === tx)) return;
    await this.store(tx, scope.userId, scope.key, status, body);
    scope.stored = true;
    scope.storedIn = tx;
  }

  private store(tx: Tx, userId: string, key: string, status: number, body: unknown) {
    return this.repo.storeAnswer(tx, userId, key, {
      status,
      body: body === undefined ? null : JSON.stringify(body),
    });
  }

  /** Forgets the key (a server error): a retry with it runs again. */
  async release(userId: string, key: string): Promise<void> {
    await this.uow.run((tx) => this.repo.deleteInProgress(tx, userId, key));
  }

  private async tryInsert(userId: string, key: string, operation: string, hash: string) {
    try {
      await this.uow.run((tx) =>
        this.repo.insertInProgress(tx, {
          userId,
          key,
          operation,
          requestHash: hash,
          lockedAt: new Date(),
        }),
      );
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  private async cleanup(): Promise<void> {
    const before = new Date(Date.now() - KEEP_MS);
    await this.uow.run((tx) => this.repo.deleteDoneBefore(tx, before));
  }
}
