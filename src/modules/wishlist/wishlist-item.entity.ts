import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt } from '../../database/column-types';

/** A product a user wants to remember (the product is read from the products module). */
@Entity('wishlist_items')
export class WishlistItem {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'uuid' }) productId: string;
  @CreatedAt('added_at') addedAt: Date;
}
