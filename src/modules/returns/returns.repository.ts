import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import { Brackets, DataSource, In } from 'typeorm';

import { insertRows } from '../../database/insert-rows';
import type { Tx } from '../../database/unit-of-work';
import { ProductReturn, RefundStatus, ReturnItem, ReturnStatusHistory } from './return.entity';
import type { ReturnScope } from './return-access';
import type { ReturnStatus } from './return-workflow';

/** A return with its lines and its history (oldest first). */
export interface LoadedReturn {
  ret: ProductReturn;
  items: ReturnItem[];
  history: ReturnStatusHistory[];
}

/** What a conditional update expects the row to hold; it changes nothing otherwise. */
export interface ReturnExpectation {
  status: ReturnStatus;
  /** null: no refund yet; undefined: any. */
  refundStatus?: RefundStatus | null;
  refundAttempts?: number;
}

export type ReturnChange = QueryDeepPartialEntity<ProductReturn>;

/** Every query on `returns`, `return_items` and `return_status_history`. */
@Injectable()
export class ReturnsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Writes a new return, its lines and its first history row (no read-back). */
  async insert(
    tx: Tx,
    ret: ProductReturn,
    items: ReturnItem[],
    history: ReturnStatusHistory,
  ): Promise<void> {
    await insertRows(tx, ProductReturn, ret);
    await insertRows(tx, ReturnItem, items);
    await insertRows(tx, ReturnStatusHistory, history);
  }

  findById(id: string, tx?: Tx): Promise<ProductReturn | null> {
    return (tx ?? this.ds.manager).findOneBy(ProductReturn, { id });
  }

  /** The lines of one return. */
  itemsOf(returnId: string, tx?: Tx): Promise<ReturnItem[]> {
    return (tx ?? this.ds.manager).find(ReturnItem, {
      where: { returnId },
      order: { position: 'ASC' },
    });
  }

  /** The returns with their lines and history, in the order of `rets`: two statements. */
  async withDetails(rets: ProductReturn[], tx?: Tx): Promise<LoadedReturn[]> {
    if (!rets.length) return [];
    const em = tx ?? this.ds.manager;
    const ids = rets.map((r) => r.id);
    const [items, history] = await Promise.all([
      em.find(ReturnItem, {
        where: { returnId: In(ids) },
        order: { returnId: 'ASC', position: 'ASC' },
      }),
      em.find(ReturnStatusHistory, {
        where: { returnId: In(ids) },
        order: { at: 'ASC', id: 'ASC' },
      }),
    ]);
    return rets.map((ret) => ({
      ret,
      items: items.filter((i) => i.returnId === ret.id),
      history: history.filter((h) => h.returnId === ret.id),
    }));
  }

  /**
   * Quantities of the fulfillment's lines held by its returns in `statuses` (other than
   * `except`), by order item id.
   */
  async heldQuantities(
    tx: Tx,
    fulfillmentId: string,
    statuses: readonly ReturnStatus[],
    except?: string,
  ): Promise<Map<string, number>> {
    const qb = tx
      .createQueryBuilder(ReturnItem, 'i')
      .innerJoin(ProductReturn, 'r', 'r.id = i.return_id')
      .select('i.order_item_id', 'item')
      .addSelect('SUM(i.quantity)', 'qty')
      .where('r.fulfillment_id = :fulfillmentId', { fulfillmentId })
      .andWhere('r.status IN (:...statuses)', { statuses })
      .groupBy('i.order_item_id');
    if (except) qb.andWhere('r.id <> :except', { except });
    const rows = await qb.getRawMany<{ item: string; qty: string | number }>();
    return new Map(rows.map((r) => [r.item, Number(r.qty)]));
  }

  /** Returns of these fulfillments in `statuses` (the first few: enough to name one). */
  withStatusOf(
    tx: Tx,
    fulfillmentIds: string[],
    statuses: readonly ReturnStatus[],
  ): Promise<ProductReturn[]> {
    if (!fulfillmentIds.length) return Promise.resolve([]);
    return tx.find(ProductReturn, {
      where: { fulfillmentId: In(fulfillmentIds), status: In([...statuses]) },
      take: 5,
    });
  }

  /**
   * The conditional update every move of a return goes through: changes the row only while it
   * still holds `expect`. False when another request changed it first (nothing is written).
   */
  async updateIf(
    tx: Tx,
    id: string,
    expect: ReturnExpectation,
    change: ReturnChange,
  ): Promise<boolean> {
    const qb = tx
      .createQueryBuilder()
      .update(ProductReturn)
      .set(change)
      .where('id = :id AND status = :status', { id, status: expect.status });
    if (expect.refundStatus === null) qb.andWhere('refund_status IS NULL');
    else if (expect.refundStatus) {
      qb.andWhere('refund_status = :refundStatus', { refundStatus: expect.refundStatus });
    }
    if (expect.refundAttempts !== undefined) {
      qb.andWhere('refund_attempts = :attempts', { attempts: expect.refundAttempts });
    }
    const res = await qb.execute();
    return res.affected === 1;
  }

  async addHistory(tx: Tx, row: ReturnStatusHistory): Promise<void> {
    await insertRows(tx, ReturnStatusHistory, row);
  }

  /** GET /returns: a page of the scope's returns, newest first, optionally of one status. */
  async page(
    scope: ReturnScope,
    status: ReturnStatus | undefined,
    skip: number,
    take: number,
  ): Promise<[ProductReturn[], number]> {
    const qb = this.ds.getRepository(ProductReturn).createQueryBuilder('r');
    if (scope.kind === 'party') {
      qb.where(
        new Brackets((b) =>
          b
            .where('r.buyer_id = :me', { me: scope.userId })
            .orWhere('r.seller_id = :me', { me: scope.userId }),
        ),
      );
    }
    if (status) qb.andWhere('r.status = :status', { status });
    return qb
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .skip(skip)
      .take(take)
      .getManyAndCount();
  }

  /** Ids of the returns still `requested` that were made at or before `cutoff`, oldest first. */
  async requestedBefore(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.ds
      .getRepository(ProductReturn)
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .where('r.status = :s AND r.created_at <= :cutoff', { s: 'requested', cutoff })
      .orderBy('r.created_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /**
   * Received returns whose refund is unfinished: `failed` and due again at `now`, or `pending`
   * with a claim older than `staleBefore` (a crash cut it short).
   */
  refundsDue(now: Date, staleBefore: Date, limit: number): Promise<ProductReturn[]> {
    return this.ds
      .getRepository(ProductReturn)
      .createQueryBuilder('r')
      .where('r.refund_status IN (:...due)', { due: ['pending', 'failed'] })
      .andWhere('r.status = :s', { s: 'received' })
      .andWhere(
        new Brackets((b) =>
          b
            .where("r.refund_status = 'failed' AND r.next_refund_at <= :now", { now })
            .orWhere("r.refund_status = 'pending' AND r.refund_claimed_at < :stale", {
              stale: staleBefore,
            }),
        ),
      )
      .orderBy('r.updated_at', 'ASC')
      .limit(limit)
      .getMany();
  }
}
