import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import type { Tx } from '../../database/unit-of-work';
import { WishlistItem } from './wishlist-item.entity';

/** Every query on `wishlist_items`. */
@Injectable()
export class WishlistRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** A user's lines, newest first (one statement). */
  linesOf(userId: string): Promise<WishlistItem[]> {
    return this.ds.getRepository(WishlistItem).find({
      where: { userId },
      order: { addedAt: 'DESC', id: 'DESC' },
    });
  }

  lineOf(userId: string, productId: string, tx: Tx = this.ds.manager) {
    return tx.findOneBy(WishlistItem, { userId, productId });
  }

  /** Adds a line and reads it back (its added_at); a second line of the same product fails. */
  async insert(tx: Tx, row: { id: string; userId: string; productId: string }) {
    await tx.insert(WishlistItem, row);
    return tx.findOneByOrFail(WishlistItem, { id: row.id });
  }

  /** Removes a user's line; false when there was none. */
  async remove(tx: Tx, userId: string, productId: string): Promise<boolean> {
    const res = await tx.delete(WishlistItem, { userId, productId });
    return !!res.affected;
  }

  /** Removes a product from every wishlist. */
  async removeProduct(tx: Tx, productId: string): Promise<void> {
    await tx.delete(WishlistItem, { productId });
  }
}
