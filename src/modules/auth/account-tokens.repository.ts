import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { deleteSome } from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import type { AccountTokenPurpose } from './auth.entities';
import { AccountToken } from './auth.entities';

/** Every query on `account_tokens` (mailed single-use links). */
@Injectable()
export class AccountTokensRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insert(tx: Tx, row: AccountToken): Promise<void> {
    await tx.insert(AccountToken, row);
  }

  /** The token with this hash and purpose if it is still usable (unused, not expired). */
  usable(tokenHash: string, purpose: AccountTokenPurpose, now: Date): Promise<AccountToken | null> {
    return this.ds.manager
      .createQueryBuilder(AccountToken, 't')
      .where('t.token_hash = :tokenHash AND t.purpose = :purpose', { tokenHash, purpose })
      .andWhere('t.used_at IS NULL AND t.expires_at > :now', { now })
      .getOne();
  }

  /**
   * Uses the token, only if it is still usable: false when it was used (by a racing request),
   * expired or never existed.
   */
  async use(tx: Tx, tokenHash: string, purpose: AccountTokenPurpose, at: Date): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .update(AccountToken)
      .set({ usedAt: at })
      .where('token_hash = :tokenHash AND purpose = :purpose', { tokenHash, purpose })
      .andWhere('used_at IS NULL AND expires_at > :at', { at })
      .execute();
    return res.affected === 1;
  }

  /** Deletes up to `limit` links used or expired before `before`; answers how many. */
  purgeSpent(tx: Tx, before: Date, limit: number): Promise<number> {
    return deleteSome(
      tx,
      AccountToken,
      { column: 'token_hash', property: 'tokenHash' },
      'r.expires_at < :before OR r.used_at < :before',
      { before },
      limit,
    );
  }

  /** Uses up every other link of this purpose the user still has (one reset ends them all). */
  async useAll(tx: Tx, userId: string, purpose: AccountTokenPurpose, at: Date): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(AccountToken)
      .set({ usedAt: at })
      .where('user_id = :userId AND purpose = :purpose AND used_at IS NULL', { userId, purpose })
      .execute();
  }
}
