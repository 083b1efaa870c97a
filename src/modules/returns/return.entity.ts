import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { moneyColumn, timestampColumn } from '../../database/column-types';
import type { ReturnReason } from './return-rules';
import type { ReturnStatus } from './return-workflow';

export const REFUND_STATUSES = ['pending', 'completed', 'failed', 'manual'] as const;
/**
 * Where the money of a received return stands: `pending` while a refund is claimed and the
 * provider is being asked (a claim older than the provider could take was cut short by a crash),
 * `failed` (the sweep retries it), `manual` (cash on delivery: an admin pays it and marks it
 * paid), `completed`.
 */
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * A buyer's return of lines of one delivered fulfillment. `refund_attempts` counts the claims of
 * its refund: each claim bumps it, and only the holder of the latest claim may record the outcome,
 * so a refund is booked once however many requests and sweeps race. Timestamps are written by the
 * service from its clock (not database defaults), so escalation follows one clock.
 */
@Entity('returns')
export class ProductReturn {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) orderId: string;
  @Column({ type: 'uuid' }) fulfillmentId: string;
  @Column({ type: 'uuid' }) sellerId: string;
  @Column({ type: 'uuid' }) buyerId: string;
  /** The order's own reference (its tracking number), for mails. */
  @Column({ type: 'varchar', length: 32 }) orderRef: string;
  @Column({ type: 'varchar', length: 16 }) status: ReturnStatus;
  /** Tiyn: an estimate while requested, fixed when the return is received. */
  @Column(moneyColumn()) refundAmount: number;
  /** Tiyn: the delivery cost part of refund_amount. */
  @Column(moneyColumn()) refundDelivery: number;
  @Column({ type: 'varchar', length: 16, nullable: true }) refundStatus: RefundStatus | null;
  @Column({ type: 'integer', default: 0 }) refundAttempts: number;
  @Column(timestampColumn({ nullable: true })) refundClaimedAt: Date | null;
  @Column(timestampColumn({ nullable: true })) nextRefundAt: Date | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) refundFailure: string | null;
  @Column({ type: 'uuid', nullable: true }) decidedBy: string | null;
  @Column({ type: 'text', nullable: true }) decisionNote: string | null;
  @Column(timestampColumn({ nullable: true })) escalatedAt: Date | null;
  @Column(timestampColumn()) createdAt: Date;
  @Column(timestampColumn()) updatedAt: Date;
}

/** One returned line: a snapshot of the order line (name, price in tiyn) and why it comes back. */
@Entity('return_items')
export class ReturnItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) returnId: string;
  /** Where the line stood in the request (lines are answered in that order). */
  @Column({ type: 'integer' }) position: number;
  @Column({ type: 'uuid' }) orderItemId: string;
  @Column({ type: 'uuid' }) productId: string;
  @Column({ type: 'varchar', length: 200 }) productName: string;
  @Column(moneyColumn()) price: number;
  @Column({ type: 'integer' }) quantity: number;
  @Column({ type: 'varchar', length: 20 }) reason: ReturnReason;
  @Column({ type: 'text', nullable: true }) comment: string | null;
}

/** Every status a return took, who moved it (null: the system) and why. */
@Entity('return_status_history')
export class ReturnStatusHistory {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) returnId: string;
  @Column({ type: 'varchar', length: 16 }) status: ReturnStatus;
  @Column({ type: 'uuid', nullable: true }) changedBy: string | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column(timestampColumn()) at: Date;
}
