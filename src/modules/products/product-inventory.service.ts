import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';
import type { ProductDetails, ProductSnapshot } from './product-shape';
import { ProductsRepository } from './products.repository';
import type { StockReason } from './stock-movement.entity';

export interface StockChange {
  productId: string;
  quantity: number;
  orderId?: string | null;
  actorId?: string | null;
}

/**
 * Stock and counters of products, for other modules (cart, orders, reviews, wishlist) and the
 * catalog itself. Every change of a quantity writes a stock movement in the same transaction, so
 * that quantity = sum(delta) for every product.
 */
@Injectable()
export class ProductInventoryService {
  constructor(private readonly products: ProductsRepository) {}

  /** The products with these ids (unknown ids are left out), in one statement. */
  findByIds(ids: string[], tx?: Tx): Promise<ProductDetails[]> {
    return this.products.findByIds(ids, tx);
  }

  /**
   * The products as the cart and checkout see them, by id (unknown ids are left out), in one
   * statement without entity hydration.
   */
  snapshotsByIds(ids: string[], tx?: Tx): Promise<ProductSnapshot[]> {
    return this.products.snapshotsByIds(ids, tx);
  }

  /**
   * Takes the stock of an order's lines: their `sale` movements first (one statement, whatever
   * the number of lines), then one conditional update per line in the order given (callers pass
   * product-id order, the global lock order). Returns the first change that cannot be supplied
   * (too few units, or inactive), or null when all were taken. When one cannot be, the caller
   * must roll the transaction back: the movements and the updates made so far go with it.
   *
   * The updates come last so that, on PostgreSQL, each product row is locked from its update to
   * the caller's COMMIT only (a hot product serialises every checkout that buys it).
   */
  async takeStockForSale(tx: Tx, changes: StockChange[]): Promise<StockChange | null> {
    await this.products.addMovements(
      tx,
      changes.map((c) => ({
        id: randomUUID(),
        productId: c.productId,
        delta: -c.quantity,
        reason: 'sale',
        orderId: c.orderId ?? null,
        actorId: c.actorId ?? null,
      })),
    );
    for (const c of changes) {
      if (!(await this.products.takeStock(tx, c.productId, c.quantity))) return c;
    }
    return null;
  }

  /** Puts stock back (a cancelled sale). */
  async returnStock(tx: Tx, c: StockChange): Promise<void> {
    await this.products.returnStock(tx, c.productId, c.quantity);
    await this.record(tx, c.productId, c.quantity, 'cancellation', c);
  }

  /** Records the opening quantity of a new product. */
  async recordInitial(tx: Tx, productId: string, quantity: number, actorId: string | null) {
    if (quantity !== 0)
      await this.record(tx, productId, quantity, 'initial', { productId, quantity, actorId });
  }

  /**
   * Sets a product's quantity to a new value (a seller's edit) relative to what is stored now,
   * so a sale that happened meanwhile is not overwritten: the movement is the difference.
   */
  async setQuantity(tx: Tx, productId: string, quantity: number, actorId: string | null) {
    const current = await this.products.quantityOf(tx, productId);
    if (current === null) return;
    const delta = quantity - current;
    if (delta === 0) return;
    await this.products.addToQuantity(tx, productId, delta);
    await this.record(tx, productId, delta, 'adjustment', { productId, quantity: delta, actorId });
  }

  /** Adds reviews to (or removes them from) a product's rating, atomically. */
  async applyReviewDelta(tx: Tx, productId: string, countDelta: number, sumDelta: number) {
    await this.products.applyReviewDelta(tx, productId, countDelta, sumDelta);
  }

  /**
   * Puts returned goods back on sale (a buyer's return, received): raises the quantity, even of
   * an inactive product, and writes a `return` movement, in the caller's transaction.
   */
  async restockReturn(tx: Tx, c: StockChange): Promise<void> {
    await this.products.returnStock(tx, c.productId, c.quantity);
    await this.record(tx, c.productId, c.quantity, 'return', c);
  }

  private async record(
    tx: Tx,
    productId: string,
    delta: number,
    reason: StockReason,
    c: StockChange,
  ) {
    await this.products.addMovement(tx, {
      id: randomUUID(),
      productId,
      delta,
      reason,
      orderId: c.orderId ?? null,
      actorId: c.actorId ?? null,
    });
  }
}
