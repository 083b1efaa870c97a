import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { insertRows } from '../../database/insert-rows';
import { chunks, ColumnOf, insertValues, num, rows, sqlTime } from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import { Payout, PayoutBatch, PayoutStatus } from './finance.entities';

export interface PayoutFilter {
  status?: PayoutStatus;
  sellerId?: string;
  batchId?: string;
  skip: number;
  take: number;
}

/** Sellers per lookup statement (`IN (…)`): well below the engines' parameter limits. */
const CHUNK = 500;

/**
 * Payouts per INSERT (17 columns). Fixed SQL text per chunk size, so the statement is prepared
 * once and reused; a 10,000-seller batch builds no query per chunk and holds no big statement.
 */
const INSERT_CHUNK = 100;

export const PAYOUT_COLUMNS: ColumnOf<Payout>[] = [
  ['id', 'id'],
  ['batch_id', 'batchId'],
  ['seller_id', 'sellerId'],
  ['amount', 'amount'],
  ['status', 'status'],
  ['shop_name', 'shopName'],
  ['bin_iin', 'binIin'],
  ['iban', 'iban'],
  ['bik', 'bik'],
  ['kbe', 'kbe'],
  ['email', 'email'],
  ['purpose', 'purpose'],
  ['bank_reference', 'bankReference'],
  ['failure_reason', 'failureReason'],
  ['created_at', 'createdAt'],
  ['paid_at', 'paidAt'],
  ['failed_at', 'failedAt'],
];

@Injectable()
export class PayoutRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async insertBatch(tx: Tx, batch: PayoutBatch, payouts: Payout[]): Promise<void> {
    await insertRows(tx, PayoutBatch, batch);
    for (const part of chunks(payouts, INSERT_CHUNK)) {
      await insertValues(tx, 'payouts', PAYOUT_COLUMNS, part);
    }
  }

  batchExists(id: string): Promise<boolean> {
    return this.ds.getRepository(PayoutBatch).existsBy({ id });
  }

  byId(id: string, tx?: Tx): Promise<Payout | null> {
    return (tx ?? this.ds.manager).findOneBy(Payout, { id });
  }

  ofBatch(batchId: string): Promise<Payout[]> {
    return this.ds
      .getRepository(Payout)
      .find({ where: { batchId }, order: { shopName: 'ASC', id: 'ASC' } });
  }

  page(f: PayoutFilter): Promise<[Payout[], number]> {
    const where: Partial<Pick<Payout, 'status' | 'sellerId' | 'batchId'>> = {};
    if (f.status) where.status = f.status;
    if (f.sellerId) where.sellerId = f.sellerId;
    if (f.batchId) where.batchId = f.batchId;
    return this.ds.getRepository(Payout).findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: f.skip,
      take: f.take,
    });
  }

  /** When each of these sellers was last paid out (failed payouts do not count). */
  async lastPaidOut(tx: Tx, sellerIds: string[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    for (const part of chunks(sellerIds, CHUNK)) {
      const found = await rows<{ seller_id: string; at: string | Date }>(
        this.ds,
        tx,
        `SELECT seller_id, MAX(created_at) AS at FROM payouts
          WHERE seller_id IN (:...ids) AND status <> 'failed' GROUP BY seller_id`,
        { ids: part },
      );
      for (const r of found) {
        const at = r.at instanceof Date ? r.at : new Date(`${r.at.replace(' ', 'T')}Z`);
        out.set(r.seller_id, at);
      }
    }
    return out;
  }

  /**
   * Moves a pending payout to `paid` or `failed` (a conditional update: of two racing calls one
   * wins). False when it was not pending.
   */
  async settle(
    tx: Tx,
    id: string,
    to:
      | { status: 'paid'; bankReference: string; at: Date }
      | { status: 'failed'; failureReason: string; at: Date },
  ): Promise<boolean> {
    const set =
      to.status === 'paid'
        ? { status: to.status, bankReference: to.bankReference, paidAt: to.at }
        : { status: to.status, failureReason: to.failureReason, failedAt: to.at };
    const res = await tx
      .createQueryBuilder()
      .update(Payout)
      .set(set)
      .where(`id = :id AND status = 'pending'`, { id })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  /** Σ amount per status of the payouts made within [from, to) (all time without them). */
  async totalsByStatus(from?: Date, to?: Date): Promise<Partial<Record<PayoutStatus, number>>> {
    const pg = this.ds.options.type === 'postgres';
    const w = [from && 'created_at >= :from', to && 'created_at < :to'].filter(Boolean);
    const found = await rows<{ status: PayoutStatus; s: unknown }>(
      this.ds,
      this.ds.manager,
      `SELECT status, SUM(amount) AS s FROM payouts
        ${w.length ? `WHERE ${w.join(' AND ')}` : ''} GROUP BY status`,
      { from: from && sqlTime(pg, from), to: to && sqlTime(pg, to) },
    );
    return Object.fromEntries(found.map((r) => [r.status, num(r.s)]));
  }
}
