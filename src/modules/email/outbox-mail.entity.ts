import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt, timestampColumn } from '../../database/column-types';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A mail waiting to leave (transactional outbox): written in the same transaction as its cause. */
@Entity('mail_outbox')
export class OutboxMail {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'varchar', length: 254 }) toAddress: string;
  @Column({ type: 'varchar', length: 300 }) subject: string;
  @Column({ type: 'text' }) textBody: string;
  @Column({ type: 'text' }) htmlBody: string;
  @Column({ type: 'varchar', length: 40 }) kind: string;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) status: OutboxStatus;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column(timestampColumn()) nextAttemptAt: Date;
  @Column(timestampColumn({ nullable: true })) lockedUntil: Date | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) lockedBy: string | null;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
  @Column(timestampColumn({ nullable: true })) sentAt: Date | null;
  /** The request that queued the mail (its log lines carry this id). */
  @Column({ type: 'varchar', length: 64, nullable: true }) requestId: string | null;
  @CreatedAt() createdAt: Date;
}
