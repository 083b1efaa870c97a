import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import { DataSource, In } from 'typeorm';

import { EntityVersion } from '../../database/entity-version';
import { insertRows } from '../../database/insert-rows';
import { ratingCounterSet } from '../../database/rating-counters';
import type { Tx } from '../../database/unit-of-work';
import { Shop, ShopStatusHistory } from './shop.entity';
import type { ShopStatus } from './shop-workflow';

/** Filters of the admin's shop queue. */
export interface ShopListFilter {
  status?: ShopStatus;
  /** Part of the name or slug (case-insensitive, Cyrillic included) or of the BIN/IIN. */
  search?: string;
  skip: number;
  take: number;
}

/** What selling depends on, per shop (the SellerStanding cache reads all of them at once). */
export interface ShopStandingRow {
  sellerId: string;
  status: ShopStatus;
  everApproved: boolean;
  holiday: boolean;
}

export type ShopPatch = QueryDeepPartialEntity<Shop>;
export type NewHistoryRow = Omit<ShopStatusHistory, 'id' | 'at'>;

/** Every query on `shops` and `shop_status_history`. */
@Injectable()
export class ShopsRepository {
  private readonly version: EntityVersion<Shop>;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.version = new EntityVersion(ds, Shop);
  }

  /** Changes whenever the shops table may have (null while a write to it is uncommitted). */
  changeToken(): string | null {
    return this.version.snapshot();
  }

  /** How long a read may be trusted without a new token (PostgreSQL: 60 s listening, else 1 s). */
  get maxAgeMs(): number {
    return this.version.maxAgeMs;
  }

  /** Calls `fn` when another server process committed a change to shops (PostgreSQL only). */
  onRemoteChange(fn: () => void): void {
    this.version.onRemoteChange(fn);
  }

  ofSeller(sellerId: string, tx?: Tx): Promise<Shop | null> {
    return (tx ?? this.ds.manager).findOneBy(Shop, { sellerId });
  }

  bySlug(slug: string): Promise<Shop | null> {
    return this.ds.manager.findOneBy(Shop, { slug });
  }

  /** Creates the seller's draft unless one exists (two first calls at once make one row). */
  async createDraftIfMissing(tx: Tx, sellerId: string): Promise<void> {
    await tx
      .createQueryBuilder()
      .insert()
      .into(Shop)
      .values({ id: randomUUID(), sellerId, status: 'draft', description: '' })
      .orIgnore()
      .updateEntity(false)
      .execute();
  }

  /** True when another seller's shop already uses the slug. */
  async slugTaken(tx: Tx, slug: string, sellerId: string): Promise<boolean> {
    const row = await tx.findOne(Shop, { where: { slug }, select: { sellerId: true } });
    return !!row && row.sellerId !== sellerId;
  }

  /** The slugs in use that are `base` or `base-N` (to pick the next free one). */
  async slugsLike(tx: Tx, base: string): Promise<string[]> {
    const rows = await tx
      .createQueryBuilder(Shop, 's')
      .select('s.slug', 'slug')
      .where(`(s.slug = :base OR s.slug LIKE :pattern ESCAPE '\\')`, {
        base,
        pattern: `${base.replace(/[\\%_]/g, '\\$&')}-%`,
      })
      .getRawMany<{ slug: string }>();
    return rows.map((r) => r.slug);
  }

  /**
   * Writes the patch only while the shop is still in status `from` (a conditional update: of two
   * racing moves one applies, the other gets false and nothing is written).
   */
  async updateIfStatus(tx: Tx, id: string, from: ShopStatus, patch: ShopPatch): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .update(Shop)
      .set({ ...patch, ...searchKeys(patch), updatedAt: new Date() })
      .where('id = :id AND status = :from', { id, from })
      .execute();
    return res.affected === 1;
  }

  /**
   * Adds seller reviews to (or removes them from) the shop's rating with one conditional
   * statement (counters moved by the database, so concurrent reviews never lose one).
   */
  async applyReviewDelta(
    tx: Tx,
    sellerId: string,
    countDelta: number,
    sumDelta: number,
  ): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(Shop)
      .set(ratingCounterSet(countDelta, sumDelta))
      .where('seller_id = :sellerId', { sellerId })
      .execute();
  }

  async setHoliday(tx: Tx, id: string, holiday: boolean): Promise<void> {
    await tx.update(Shop, { id }, { holiday, updatedAt: new Date() });
  }

  async addHistory(tx: Tx, row: NewHistoryRow): Promise<void> {
    await insertRows(tx, ShopStatusHistory, { id: randomUUID(), at: new Date(), ...row });
  }

  /** A shop's status moves, oldest first. */
  historyOf(shopId: string): Promise<ShopStatusHistory[]> {
    return this.ds.manager.find(ShopStatusHistory, {
      where: { shopId },
      order: { at: 'ASC', id: 'ASC' },
    });
  }

  /** The admin's queue: filtered, searched, newest first, one page and the total (2 statements). */
  list(f: ShopListFilter): Promise<[Shop[], number]> {
    const qb = this.ds.manager.createQueryBuilder(Shop, 's');
    if (f.status) qb.andWhere('s.status = :status', { status: f.status });
    const term = f.search?.trim().toLowerCase();
    if (term) {
      const pattern = `%${term.replace(/[\\%_]/g, '\\$&')}%`;
      qb.andWhere(
        `(s.name_search LIKE :pattern ESCAPE '\\' OR s.slug LIKE :pattern ESCAPE '\\' OR s.bin_iin LIKE :pattern ESCAPE '\\')`,
        { pattern },
      );
    }
    return qb
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'ASC')
      .skip(f.skip)
      .take(f.take)
      .getManyAndCount();
  }

  /** The payout identity of these sellers' shops, 500 per statement (sellers without one absent). */
  async payoutRowsOf(sellerIds: string[], tx?: Tx): Promise<ShopPayoutRow[]> {
    const out: ShopPayoutRow[] = [];
    for (let i = 0; i < sellerIds.length; i += 500) {
      out.push(
        ...(await (tx ?? this.ds.manager).find(Shop, {
          select: {
            sellerId: true,
            name: true,
            status: true,
            binIin: true,
            iban: true,
            bik: true,
            kbe: true,
          },
          where: { sellerId: In(sellerIds.slice(i, i + 500)) },
        })),
      );
    }
    return out;
  }

  /** Selling facts of every shop, in one statement. */
  async standings(): Promise<ShopStandingRow[]> {
    const rows = await this.ds.manager.find(Shop, {
      select: { sellerId: true, status: true, approvedAt: true, holiday: true },
    });
    return rows.map((r) => ({
      sellerId: r.sellerId,
      status: r.status,
      everApproved: r.approvedAt !== null,
      holiday: r.holiday,
    }));
  }
}

/** The lower-cased copy of a changed name (SQLite's LIKE folds ASCII case only). */
const searchKeys = (patch: ShopPatch): ShopPatch =>
  typeof patch.name === 'string' ? { nameSearch: patch.name.toLowerCase() } : {};

/** A shop's payout identity (finance's payout recipients read it through ShopPayoutDetails). */
export type ShopPayoutRow = Pick<
  Shop,
  'sellerId' | 'name' | 'status' | 'binIin' | 'iban' | 'bik' | 'kbe'
>;
