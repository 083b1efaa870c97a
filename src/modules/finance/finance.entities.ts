import { Column, Entity, PrimaryColumn } from 'typeorm';

import { CreatedAt, moneyColumn, timestampColumn } from '../../database/column-types';
import type { LedgerType, RuleScope } from './money-rules';

/** A commission rule; at most one global, one per category and one per seller (partial unique indexes). */
@Entity('commission_rules')
export class CommissionRule {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'varchar', length: 10 }) scope: RuleScope;
  @Column({ type: 'varchar', length: 20, nullable: true }) category: string | null;
  @Column({ type: 'uuid', nullable: true }) sellerId: string | null;
  /** Basis points: 1000 = 10 %. */
  @Column({ type: 'integer' }) rateBp: number;
  @Column(moneyColumn({ nullable: true })) minFee: number | null;
  @Column(moneyColumn({ nullable: true })) maxFee: number | null;
  @CreatedAt() createdAt: Date;
  /** Null until an admin changes the rule (the global rule then stops following the env default). */
  @Column(timestampColumn({ nullable: true })) updatedAt: Date | null;
}

/** One movement of a seller's money. Append-only: database triggers refuse UPDATE and DELETE. */
@Entity('seller_ledger_entries')
export class SellerLedgerEntry {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'uuid' }) sellerId: string;
  @Column({ type: 'varchar', length: 24 }) type: LedgerType;
  /** Signed tiyn. */
  @Column(moneyColumn()) amount: number;
  @Column({ type: 'uuid', nullable: true }) orderId: string | null;
  @Column({ type: 'uuid', nullable: true }) fulfillmentId: string | null;
  @Column({ type: 'uuid', nullable: true }) returnId: string | null;
  @Column({ type: 'uuid', nullable: true }) payoutId: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) note: string | null;
  @Column(timestampColumn()) availableAt: Date;
  @Column(timestampColumn()) createdAt: Date;
}

/**
 * The running totals of a seller's ledger, updated in the transaction of every append. The part
 * not yet available is not kept here (it changes with the clock): it is Σ of the entries with
 * available_at > now, read through the (seller_id, available_at) index.
 */
@Entity('seller_balances')
export class SellerBalance {
  @PrimaryColumn({ type: 'uuid' }) sellerId: string;
  /** Σ every entry. */
  @Column(moneyColumn()) total: number;
  @Column(moneyColumn()) paidOut: number;
  @Column(moneyColumn()) lifetimeSales: number;
  @Column(moneyColumn()) lifetimeCommission: number;
  @Column({ type: 'integer' }) entryCount: number;
  @Column(timestampColumn()) updatedAt: Date;
}

export type PayoutStatus = 'pending' | 'paid' | 'failed';

@Entity('payout_batches')
export class PayoutBatch {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'uuid' }) createdBy: string;
  @Column({ type: 'integer' }) payoutCount: number;
  @Column(moneyColumn()) totalAmount: number;
  @Column(moneyColumn()) minAmount: number;
  @Column({ type: 'varchar', length: 32 }) provider: string;
  @Column(timestampColumn()) createdAt: Date;
}

/** A payout to one seller, with the bank details copied from the shop when it was made. */
@Entity('payouts')
export class Payout {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'uuid' }) batchId: string;
  @Column({ type: 'uuid' }) sellerId: string;
  @Column(moneyColumn()) amount: number;
  @Column({ type: 'varchar', length: 10 }) status: PayoutStatus;
  @Column({ type: 'varchar', length: 200 }) shopName: string;
  @Column({ type: 'varchar', length: 12 }) binIin: string;
  @Column({ type: 'varchar', length: 34 }) iban: string;
  @Column({ type: 'varchar', length: 11 }) bik: string;
  @Column({ type: 'varchar', length: 2 }) kbe: string;
  @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ type: 'varchar', length: 200 }) purpose: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) bankReference: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) failureReason: string | null;
  @Column(timestampColumn()) createdAt: Date;
  @Column(timestampColumn({ nullable: true })) paidAt: Date | null;
  @Column(timestampColumn({ nullable: true })) failedAt: Date | null;
}
