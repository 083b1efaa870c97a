import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt, UpdatedAt } from '../../database/column-types';

/** A review of a product, or of a seller (exactly one of the two ids is set). */
@Entity('reviews')
export class Review {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', nullable: true }) productId: string | null;
  @Column({ type: 'uuid', nullable: true }) sellerId: string | null;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 201 }) authorName: string;
  @Column({ type: 'integer' }) rating: number;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
