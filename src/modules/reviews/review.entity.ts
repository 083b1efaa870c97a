import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CreatedAt, UpdatedAt } from '../../database/column-types';

@Entity('reviews')
export class Review {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) productId: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 201 }) authorName: string;
  @Column({ type: 'integer' }) rating: number;
  @Column({ type: 'text', nullable: true }) comment: string | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
