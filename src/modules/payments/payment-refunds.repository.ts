import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan, Not } from 'typeorm';

import { insertRows } from '../../database/insert-rows';
import type { Tx } from '../../database/unit-of-work';
import type { RefundStatus } from './payment-refund.entity';
import { PaymentRefund } from './payment-refund.entity';

export type NewPaymentRefund = Omit<PaymentRefund, 'createdAt' | 'updatedAt'>;
export type RefundSet = Partial<
  Pick<PaymentRefund, 'status' | 'providerRefundId' | 'failureReason' | 'attempts'>
>;

/** Every query on `refunds` (one row per refund reference). Writes take the caller's transaction. */
@Injectable()
export class PaymentRefundsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  byId(id: string, tx?: Tx): Promise<PaymentRefund | null> {
    return (tx ?? this.ds.manager).findOneBy(PaymentRefund, { id });
  }

  /** A page of refunds in `statuses` (all without), newest first (ix_refunds_status_created). */
  page(f: { statuses?: readonly RefundStatus[]; skip: number; take: number }) {
    return this.ds.manager.findAndCount(PaymentRefund, {
      where: f.statuses ? { status: In([...f.statuses]) } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: f.skip,
      take: f.take,
    });
  }

  byReference(reference: string, tx?: Tx): Promise<PaymentRefund | null> {
    return (tx ?? this.ds.manager).findOneBy(PaymentRefund, { reference });
  }

  /** Inserts the refund; a second row of the same reference fails on the unique index. */
  async insert(tx: Tx, row: NewPaymentRefund): Promise<void> {
    await insertRows(tx, PaymentRefund, row);
  }

  /** Σ amount of the payment's refunds in `statuses`, leaving out the refund `except`. */
  async totalOf(
    tx: Tx,
    paymentId: string,
    statuses: readonly RefundStatus[],
    except?: string,
  ): Promise<number> {
    const rows = await tx.find(PaymentRefund, {
      select: { amount: true },
      where: {
        paymentId,
        status: In([...statuses]),
        ...(except ? { reference: Not(except) } : {}),
      },
    });
    return rows.reduce((sum, r) => sum + Number(r.amount), 0);
  }

  /** Σ amount of every refund of the parcel (any status: none is abandoned). */
  async totalOfParcel(tx: Tx, fulfillmentId: string): Promise<number> {
    const rows = await tx.find(PaymentRefund, {
      select: { amount: true },
      where: { fulfillmentId },
    });
    return rows.reduce((sum, r) => sum + Number(r.amount), 0);
  }

  /** The order's parcel refunds written by a move and not yet asked of the provider. */
  freshParcelRefunds(orderId: string): Promise<PaymentRefund[]> {
    return this.ds.manager.find(PaymentRefund, {
      where: { orderId, kind: 'parcel', status: 'pending', attempts: 0 },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * Parcel refunds the recovery sweep owes a retry: `failed` ones, and `pending` ones untouched
   * since `staleBefore` (a crash cut their provider call or their bookkeeping short), oldest first.
   */
  async openParcelRefunds(staleBefore: Date, limit: number): Promise<PaymentRefund[]> {
    return this.ds.manager.find(PaymentRefund, {
      where: [
        { kind: 'parcel', status: 'failed' },
        { kind: 'parcel', status: 'pending', updatedAt: LessThan(staleBefore) },
      ],
      order: { updatedAt: 'ASC' },
      take: limit,
    });
  }

  /**
   * Changes the refund only if it is still in one of `from` (and, given `attempts`, still holds
   * that claim): false when another got there first.
   */
  async move(
    tx: Tx,
    id: string,
    from: readonly RefundStatus[],
    set: RefundSet,
    attempts?: number,
  ): Promise<boolean> {
    const q = tx
      .createQueryBuilder()
      .update(PaymentRefund)
      .set({ ...set, updatedAt: new Date() })
      .where('id = :id AND status IN (:...from)', { id, from });
    if (attempts !== undefined) q.andWhere('attempts = :attempts', { attempts });
    const res = await q.execute();
    return res.affected === 1;
  }
}
