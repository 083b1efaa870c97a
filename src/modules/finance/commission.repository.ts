import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../database/db-errors';
import { insertRows } from '../../database/insert-rows';
import type { Tx } from '../../database/unit-of-work';
import { CommissionRule } from './finance.entities';

export type RulePatch = Partial<Pick<CommissionRule, 'rateBp' | 'minFee' | 'maxFee'>>;

@Injectable()
export class CommissionRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Every rule: global first, then categories, then sellers. */
  all(): Promise<CommissionRule[]> {
    return this.ds.getRepository(CommissionRule).find({
      order: { scope: 'ASC', category: 'ASC', sellerId: 'ASC', createdAt: 'ASC' },
    });
  }

  byId(id: string, tx?: Tx): Promise<CommissionRule | null> {
    return (tx ?? this.ds.manager).findOneBy(CommissionRule, { id });
  }

  /** The rules that may apply to lines of these sellers and categories, in one statement. */
  rulesFor(tx: Tx, sellerIds: string[], categories: string[]): Promise<CommissionRule[]> {
    const qb = tx.createQueryBuilder(CommissionRule, 'r').where(`r.scope = 'global'`);
    if (categories.length) {
      qb.orWhere(`(r.scope = 'category' AND r.category IN (:...categories))`, { categories });
    }
    if (sellerIds.length) {
      qb.orWhere(`(r.scope = 'seller' AND r.seller_id IN (:...sellerIds))`, { sellerIds });
    }
    return qb.getMany();
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
