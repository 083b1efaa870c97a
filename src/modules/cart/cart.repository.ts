import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { sqlDate, write } from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import { CartItem } from './cart-item.entity';

/** A line as the cart reads it. */
export interface CartLineRow {
  productId: string;
  quantity: number;
  addedAt: Date;
}

/** Every query on `cart_items` (the products are asked of the products module). */
@Injectable()
export class CartRepository {
  private readonly pg: boolean;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.pg = ds.options.type === 'postgres';
  }

  /**
   * A user's lines in the order they were added (then by product id): one statement of fixed
   * text, no entity hydration (every cart answer and every checkout reads it).
   */
  async linesOf(userId: string, tx?: Tx): Promise<CartLineRow[]> {
    const sql =
      'SELECT "product_id", "quantity", "added_at" FROM "cart_items" ' +
      `WHERE "user_id" = ${this.pg ? '$1' : '?'} ORDER BY "added_at" ASC, "product_id" ASC`;
    const rows: { product_id: string; quantity: number | string; added_at: unknown }[] = await (
      tx ?? this.ds.manager
    ).query(sql, [userId]);
    return rows.map((r) => ({
      productId: r.product_id,
      quantity: Number(r.quantity),
      addedAt: sqlDate(r.added_at),
    }));
  }

  lineOf(tx: Tx, userId: string, productId: string): Promise<CartItem | null> {
    return tx.findOneBy(CartItem, { userId, productId });
  }

  /**
   * INSERT … ON CONFLICT DO UPDATE … WHERE, valid on SQLite (≥ 3.35) and PostgreSQL: creates the
   * line or adds to it, only while the line stays within `stock` (the product's quantity the caller
   * read in this transaction). The conflict's row lock keeps concurrent adds of the same line exact.
   * True when it wrote. The caller checks `quantity <= stock` for a new line.
   */
  async addWithinStock(
    tx: Tx,
    userId: string,
    productId: string,
    quantity: number,
    stock: number,
  ): Promise<boolean> {
    const p = (i: number) => (this.pg ? `$${i}` : '?');
    const sql =
      `INSERT INTO cart_items (id, user_id, product_id, quantity) ` +
      `VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}) ` +
      `ON CONFLICT (user_id, product_id) DO UPDATE SET ` +
      `quantity = cart_items.quantity + excluded.quantity, updated_at = excluded.updated_at ` +
      `WHERE cart_items.quantity + excluded.quantity <= ${p(5)} ` +
      `RETURNING quantity`;
    const rows: unknown = await tx.query(sql, [randomUUID(), userId, productId, quantity, stock]);
    return Array.isArray(rows) && rows.length === 1;
  }

  /** Sets the quantity of an existing line; false when there is no such line. */
  async setQuantity(tx: Tx, userId: string, productId: string, quantity: number) {
    const res = await tx.update(CartItem, { userId, productId }, { quantity });
    return res.affected === 1;
  }

  /** Removes one line; false when there was none. */
  async removeLine(tx: Tx, userId: string, productId: string): Promise<boolean> {
    const res = await tx.delete(CartItem, { userId, productId });
    return !!res.affected;
  }

  /** Empties a user's cart (fixed text: every checkout runs it). */
  async clear(tx: Tx, userId: string): Promise<void> {
    await write(tx, `DELETE FROM "cart_items" WHERE "user_id" = ${this.pg ? '$1' : '?'}`, [userId]);
  }

  /** Takes a product out of every cart. */
  async removeProduct(tx: Tx, productId: string): Promise<void> {
    await tx.delete(CartItem, { productId });
  }
}
