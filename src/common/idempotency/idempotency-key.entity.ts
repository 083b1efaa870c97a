import { Column, Entity, PrimaryColumn } from 'typeorm';

import { CreatedAt, timestampColumn } from '../../database/column-types';

/** A stored response for an Idempotency-Key, per user and operation. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ type: 'uuid' }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 300 }) key: string;
  @Column({ type: 'varchar', length: 100 }) operation: string;
  @Column({ type: 'varchar', length: 64 }) requestHash: string;
  @Column({ type: 'varchar', length: 16 }) state: 'in_progress' | 'done';
  @Column({ type: 'integer', nullable: true }) responseStatus: number | null;
  @Column({ type: 'text', nullable: true }) responseBody: string | null;
  @Column(timestampColumn()) lockedAt: Date;
  @CreatedAt() createdAt: Date;
}
