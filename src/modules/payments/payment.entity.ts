import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt, moneyColumn, UpdatedAt } from '../../database/column-types';
import type { OrderPaymentStatus } from '../orders/order-payment-status';

export const PAYMENT_METHODS = ['card', 'kaspi', 'cash_on_delivery'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_STATUSES = [
  'pending',
  'processing',
  'completed',
  'failed',
  'refunded',
  'partially_refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** true when both unions hold the same members. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * `orders.payment_status` holds a payment's status; orders keeps its own copy of the union (it
 * must not import payments). This fails to compile as soon as the two differ.
 */
const _sameStatuses: Same<PaymentStatus, OrderPaymentStatus> = true;

/** At most one pending/processing/completed payment per order: a partial unique index (migration). */
@Entity('payments')
export class Payment {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) orderId: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column(moneyColumn()) amount: number;
  @Column({ type: 'varchar', length: 20 }) paymentMethod: PaymentMethod;
  @Column({ type: 'varchar', length: 20 }) status: PaymentStatus;
  @Column({ type: 'varchar', length: 64, unique: true }) transactionId: string;
  @Column({ type: 'varchar', length: 32 }) provider: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) failureReason: string | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
