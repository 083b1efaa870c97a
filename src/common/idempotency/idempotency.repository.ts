import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';

import { ColumnOf, insertValues, isPostgres, write } from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import { IdempotencyKey } from './idempotency-key.entity';

/** A stored answer: its status and its body as JSON text (null: no body). */
export interface StoredAnswer {
  status: number;
  body: string | null;
}

/** A key as it is claimed. */
export interface NewKey {
  userId: string;
  key: string;
  operation: string;
  requestHash: string;
  lockedAt: Date;
}

const NEW_KEY_COLUMNS: ColumnOf<NewKey & { state: 'in_progress' }>[] = [
  ['user_id', 'userId'],
  ['key', 'key'],
  ['operation', 'operation'],
  ['request_hash', 'requestHash'],
  ['state', 'state'],
  ['locked_at', 'lockedAt'],
];

type AnsweredKey = NewKey & {
  state: 'done';
  responseStatus: number;
  responseBody: string | null;
};
const ANSWERED_KEY_COLUMNS: ColumnOf<AnsweredKey>[] = [
  ...NEW_KEY_COLUMNS,
  ['response_status', 'responseStatus'],
  ['response_body', 'responseBody'],
];

/** Every query on `idempotency_keys`. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Inserts the key `in_progress` (fixed text: every idempotent request runs it); a unique
   * violation means another request holds it.
   */
  async insertInProgress(tx: Tx, k: NewKey): Promise<void> {
    // at once, never held (batchWrites): the claim's unique violation is caught by the caller,
    // and a concurrent duplicate's claim must wait on this one
    await insertValues(tx, 'idempotency_keys', NEW_KEY_COLUMNS, [{ ...k, state: 'in_progress' }], {
      now: true,
    });
  }

  /** Inserts the key already `done` with its answer (a deferred claim's 4xx: one statement). */
  async insertAnswered(tx: Tx, k: NewKey, answer: StoredAnswer): Promise<void> {
    await insertValues(tx, 'idempotency_keys', ANSWERED_KEY_COLUMNS, [
      { ...k, state: 'done', responseStatus: answer.status, responseBody: answer.body },
    ]);
  }

  find(userId: string, key: string): Promise<IdempotencyKey | null> {
    return this.ds.getRepository(IdempotencyKey).findOneBy({ userId, key });
  }

  /**
   * Takes over an `in_progress` key locked before `before` (its request died): one conditional
   * update, so of several takers one wins. Returns whether this one did.
   */
  async takeOverStale(tx: Tx, userId: string, key: string, before: Date, now: Date) {
    const res = await tx
      .createQueryBuilder()
      .update(IdempotencyKey)
      .set({ lockedAt: now })
      .where('user_id = :userId AND key = :key AND state = :s AND locked_at < :before', {
        userId,
        key,
        s: 'in_progress',
        before,
      })
      .execute();
    return res.affected === 1;
  }

  /** Stores the answer on the key and marks it done (fixed text: inside every checkout). */
  async storeAnswer(tx: Tx, userId: string, key: string, answer: StoredAnswer): Promise<void> {
    const p = isPostgres(tx) ? ['$1', '$2', '$3', '$4'] : ['?', '?', '?', '?'];
    await write(
      tx,
      `UPDATE "idempotency_keys" SET "state" = 'done', "response_status" = ${p[0]}, ` +
        `"response_body" = ${p[1]} WHERE "user_id" = ${p[2]} AND "key" = ${p[3]}`,
      [answer.status, answer.body, userId, key],
    );
  }

  async deleteInProgress(tx: Tx, userId: string, key: string): Promise<void> {
    await tx.delete(IdempotencyKey, { userId, key, state: 'in_progress' });
  }

  async deleteDone(tx: Tx, userId: string, key: string): Promise<void> {
    await tx.delete(IdempotencyKey, { userId, key, state: 'done' });
  }

  /** Forgets every done key created before `before`. */
  async deleteDoneBefore(tx: Tx, before: Date): Promise<void> {
    await tx.delete(IdempotencyKey, { createdAt: LessThan(before), state: 'done' });
  }
}
