import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { isUniqueViolation } from '../../database/db-errors';
import { EntityVersion } from '../../database/entity-version';
import { insertRows } from '../../database/insert-rows';
import type { Tx } from '../../database/unit-of-work';
import { CommissionRule } from './finance.entities';

export type RulePatch = Partial<Pick<CommissionRule, 'rateBp' | 'minFee' | 'maxFee'>>;

@Injectable()
export class CommissionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Every rule: global first, then categories, then sellers (in `tx` when given). */
  all(tx?: Tx): Promise<CommissionRule[]> {
    return (tx ?? this.ds.manager).find(CommissionRule, {
      order: { scope: 'ASC', category: 'ASC', sellerId: 'ASC', createdAt: 'ASC' },
    });
  }

  /** A version of the table that moves on every write to it, for the cache of the rules. */
  watchTable(): EntityVersion<CommissionRule> {
    return new EntityVersion(this.ds, CommissionRule);
  }

  byId(id: string, tx?: Tx): Promise<CommissionRule | null> {
    return (tx ?? this.ds.manager).findOneBy(CommissionRule, { id });
  }

  /** Inserts a rule; false when its target already has one (a unique index refused it). */
  async insert(tx: Tx, rule: CommissionRule): Promise<boolean> {
    try {
      await insertRows(tx, CommissionRule, rule);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  async update(tx: Tx, id: string, patch: RulePatch, at: Date): Promise<void> {
    await tx.update(CommissionRule, { id }, { ...patch, updatedAt: at });
  }

  /** Deletes a category or seller rule (never the global one). */
  async remove(tx: Tx, id: string): Promise<void> {
    await tx
      .createQueryBuilder()
      .delete()
      .from(CommissionRule)
      .where(`id = :id AND scope <> 'global'`, { id })
      .execute();
  }

  /**
   * Sets the global rate from the environment while no admin has changed the global rule (its
   * `updated_at` is still null). True when a row changed.
   */
  async followEnvDefault(tx: Tx, rateBp: number): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .update(CommissionRule)
      .set({ rateBp })
      .where(`scope = 'global' AND updated_at IS NULL AND rate_bp <> :rateBp`, { rateBp })
      .execute();
    return (res.affected ?? 0) > 0;
  }
}
