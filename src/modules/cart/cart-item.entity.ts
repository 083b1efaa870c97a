import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt, UpdatedAt } from '../../database/column-types';

/** One line of a user's cart. The product is the products module's: asked by id, never joined. */
@Entity('cart_items')
export class CartItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'uuid' }) productId: string;
  @Column({ type: 'integer' }) quantity: number;
  @CreatedAt('added_at') addedAt: Date;
  @UpdatedAt() updatedAt: Date;
}
