import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt, moneyColumn, UpdatedAt } from '../../database/column-types';

/**
 * - `pending`: asked of the provider (or about to be); a crash may leave it so;
 * - `completed`: the provider gave the money back;
 * - `failed`: the provider refused or could not be reached (asked again with the same reference);
 * - `manual`: it cannot go through the provider (cash on delivery): paid out of band by an admin;
 * - `paid`: a manual refund, marked paid.
 */
export const REFUND_STATUSES = ['pending', 'completed', 'failed', 'manual', 'paid'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * Statuses in which a refund counts against what is still refundable of its payment: every one,
 * since none is abandoned — a `failed` refund is asked again by a sweep until it is paid.
 */
export const HOLDING_REFUND_STATUSES: readonly RefundStatus[] = REFUND_STATUSES;

/** `return`: a return's refund (reference = the return's id); `parcel`: a cancelled or refunded
 * parcel of an order that stays open (reference = the fulfillment's id). */
export type RefundKind = 'return' | 'parcel';

/** One refund of (part of) a payment: one row per reference, so a retry never pays twice. */
@Entity('refunds')
export class PaymentRefund {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** The caller's idempotency key (a return's id), sent to the provider. Unique. */
  @Column({ type: 'varchar', length: 64, unique: true }) reference: string;
  /** The captured payment refunded (null: there was none, a manual refund). */
  @Column({ type: 'uuid', nullable: true }) paymentId: string | null;
  @Column({ type: 'uuid' }) orderId: string;
  /** The parcel (fulfillment) whose money this gives back. */
  @Column({ type: 'uuid', nullable: true }) fulfillmentId: string | null;
  @Column({ type: 'varchar', length: 16, default: 'return' }) kind: RefundKind;
  @Column(moneyColumn()) amount: number;
  @Column({ type: 'varchar', length: 16 }) status: RefundStatus;
  @Column({ type: 'varchar', length: 64, nullable: true }) providerRefundId: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) failureReason: string | null;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
