import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';

import { insertRows } from '../../database/insert-rows';
import type { Tx } from '../../database/unit-of-work';
import { IdempotencyKey } from './idempotency-key.entity';

/** A stored answer: its status and its body as JSON text (null: no body). */
export interface StoredAnswer {
  status: number;
  body: string | null;
}

/** Every query on `idempotency_keys`. */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Inserts the key `in_progress`; a unique violation means another request holds it. */
  async insertInProgress(
    tx: Tx,
    k: { userId: string; key: string; operation: string; requestHash: string; lockedAt: Date },
  ): Promise<void> {
    await insertRows(tx, IdempotencyKey, {
      ...k,
      state: 'in_progress',
      responseStatus: null,
      responseBody: null,
    });
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

  /** Stores the answer on the key and marks it done. */
  async storeAnswer(tx: Tx, userId: string, key: string, answer: StoredAnswer): Promise<void> {
    await tx.update(
      IdempotencyKey,
      { userId, key },
      { state: 'done', responseStatus: answer.status, responseBody: answer.body },
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
