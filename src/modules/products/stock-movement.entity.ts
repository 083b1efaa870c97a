import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt } from '../../database/column-types';

export const STOCK_REASONS = ['initial', 'adjustment', 'sale', 'cancellation', 'return'] as const;
export type StockReason = (typeof STOCK_REASONS)[number];

/** The stock ledger: for every product, quantity = sum(delta) of its movements. */
@Entity('stock_movements')
export class StockMovement {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) productId: string;
  @Column({ type: 'integer' }) delta: number;
  @Column({ type: 'varchar', length: 20 }) reason: StockReason;
  @Column({ type: 'uuid', nullable: true }) orderId: string | null;
  @Column({ type: 'uuid', nullable: true }) actorId: string | null;
  @CreatedAt() createdAt: Date;
}
