import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThan } from 'typeorm';

import type { Tx } from '../../database/unit-of-work';
import { Payment, PaymentStatus } from './payment.entity';

/** A payment as the service writes it (the database stamps the times). */
export type NewPayment = Omit<Payment, 'createdAt' | 'updatedAt'>;

/** What a settlement may change on a payment. */
export type PaymentSet = Partial<Pick<Payment, 'status' | 'transactionId' | 'failureReason'>>;

/** Every query on `payments`. Writes take the caller's transaction. */
@Injectable()
export class PaymentsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  byId(id: string, tx?: Tx): Promise<Payment | null> {
    return (tx ?? this.ds.manager).findOneBy(Payment, { id });
  }

  byTransactionId(transactionId: string): Promise<Payment | null> {
    return this.ds.manager.findOneBy(Payment, { transactionId });
  }

  /** The order's payments, oldest first. */
  ofOrder(orderId: string): Promise<Payment[]> {
    return this.ds.manager.find(Payment, {
      where: { orderId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The order's payment in one of `statuses`, if any (read in the transaction that inserts one). */
  oneOfOrder(
    orderId: string,
    statuses: readonly PaymentStatus[],
    tx?: Tx,
  ): Promise<Payment | null> {
    return (tx ?? this.ds.manager).findOneBy(Payment, { orderId, status: In([...statuses]) });
  }

  pendingOfOrder(orderId: string): Promise<Payment[]> {
    return this.ds.manager.findBy(Payment, { orderId, status: 'pending' });
  }

  pendingCashOnDelivery(orderId: string): Promise<Payment | null> {
    return this.ds.manager.findOneBy(Payment, {
      orderId,
      paymentMethod: 'cash_on_delivery',
      status: 'pending',
    });
  }

  hasCompleted(orderId: string): Promise<boolean> {
    return this.ds.manager.existsBy(Payment, { orderId, status: 'completed' });
  }

  /** Payments still `processing` since before `before`, oldest first (the recovery sweep). */
  staleProcessing(before: Date, limit: number): Promise<Payment[]> {
    return this.ds.manager.find(Payment, {
      where: { status: 'processing', updatedAt: LessThan(before) },
      order: { updatedAt: 'ASC' },
      take: limit,
    });
  }

  /** Which of these orders hold a completed payment, least recently changed first (≤ limit). */
  async ordersWithCompletedPayment(orderIds: string[], limit: number): Promise<string[]> {
    if (!orderIds.length) return [];
    const rows = await this.ds.manager.find(Payment, {
      select: { orderId: true },
      where: { orderId: In(orderIds), status: 'completed' },
      order: { updatedAt: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.orderId);
  }

  async insert(tx: Tx, p: NewPayment): Promise<void> {
    await tx.insert(Payment, p);
  }

  /**
   * Changes the payment only if it is still in one of `from` (one conditional statement), so a
   * replayed or out-of-order change finds nothing to change: false then.
   */
  async move(
    tx: Tx,
    id: string,
    from: readonly PaymentStatus[],
    set: PaymentSet,
  ): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .update(Payment)
      .set({ ...set, updatedAt: new Date() })
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    return res.affected === 1;
  }

  /**
   * Collects `by` tiyn less on a payment still `pending` (cash on delivery: a parcel given back
   * before the courier collects). Conditional: false when it is no longer pending.
   */
  async collectLess(tx: Tx, id: string, by: number): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .update(Payment)
      .set({ amount: () => 'amount - :by', updatedAt: new Date() })
      .where(`id = :id AND status = 'pending' AND amount > :by`, { id, by })
      .execute();
    return res.affected === 1;
  }

  /** Puts a claimed refund back (refunded → completed) so it can be retried. */
  async unclaimRefund(tx: Tx, id: string): Promise<void> {
    await tx.update(Payment, { id, status: 'refunded' }, { status: 'completed' });
  }
}
