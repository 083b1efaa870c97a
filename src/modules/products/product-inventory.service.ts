import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { insertRows } from '../../database/insert-rows';
import { Product } from './product.entity';
import { StockMovement, StockReason } from './stock-movement.entity';

export interface StockChange {
  productId: string;
  quantity: number;
  orderId?: string | null;
  actorId?: string | null;
}

/**
 * Stock and counters of products, for other modules (cart, orders, reviews) and the catalog
 * itself. Every change of a quantity writes a stock movement in the same transaction, so that
 * quantity = sum(delta) for every product.
 */
@Injectable()
export class ProductInventoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByIds(ids: string[], em: EntityManager = this.dataSource.manager): Promise<Product[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.findBy(Product, { id: In(ids) });
  }

  /**
   * Takes stock for a sale with one conditional statement (never below zero, safe under any
   * concurrency). Returns false, changing nothing, when there is not enough or the product is
   * inactive.
   */
  async takeStock(em: EntityManager, c: StockChange): Promise<boolean> {
    const res = await em
      .createQueryBuilder()
      .update(Product)
      .set({
        quantity: () => `quantity - ${Number(c.quantity)}`,
        soldCount: () => `sold_count + ${Number(c.quantity)}`,
      })
      .where('id = :id AND quantity >= :q AND is_active = :active', {
        id: c.productId,
        q: c.quantity,
        active: true,
      })
      .execute();
    if (res.affected !== 1) return false;
    await this.record(em, c.productId, -c.quantity, 'sale', c);
    return true;
  }

  /** Puts stock back (a cancelled sale). */
  async returnStock(em: EntityManager, c: StockChange): Promise<void> {
    await em
      .createQueryBuilder()
      .update(Product)
      .set({
        quantity: () => `quantity + ${Number(c.quantity)}`,
        soldCount: () =>
          `CASE WHEN sold_count >= ${Number(c.quantity)} THEN sold_count - ${Number(c.quantity)} ELSE 0 END`,
      })
      .where('id = :id', { id: c.productId })
      .execute();
    await this.record(em, c.productId, c.quantity, 'cancellation', c);
  }

  /** Records the opening quantity of a new product. */
  async recordInitial(
    em: EntityManager,
    productId: string,
    quantity: number,
    actorId: string | null,
  ) {
    if (quantity !== 0)
      await this.record(em, productId, quantity, 'initial', { productId, quantity, actorId });
  }

  /**
   * Sets a product's quantity to a new value (a seller's edit) relative to what is stored now,
   * so a sale that happened meanwhile is not overwritten: the movement is the difference.
   */
  async setQuantity(
    em: EntityManager,
    productId: string,
    quantity: number,
    actorId: string | null,
  ) {
    const current = await em.findOne(Product, {
      where: { id: productId },
      select: { id: true, quantity: true },
    });
    if (!current) return;
    const delta = quantity - current.quantity;
    if (delta === 0) return;
    await em
      .createQueryBuilder()
      .update(Product)
      .set({ quantity: () => `quantity + ${delta}` })
      .where('id = :id', { id: productId })
      .execute();
    await this.record(em, productId, delta, 'adjustment', { productId, quantity: delta, actorId });
  }

  /** Adds reviews to (or removes them from) a product's rating, atomically. */
  async applyReviewDelta(
    em: EntityManager,
    productId: string,
    countDelta: number,
    sumDelta: number,
  ) {
    const c = Number(countDelta);
    const s = Number(sumDelta);
    await em
      .createQueryBuilder()
      .update(Product)
      .set({
        reviewCount: () => `review_count + ${c}`,
        ratingSum: () => `rating_sum + ${s}`,
        rating: () =>
          `CASE WHEN review_count + ${c} > 0 THEN CAST(rating_sum + ${s} AS REAL) / (review_count + ${c}) ELSE 0 END`,
      })
      .where('id = :id', { id: productId })
      .execute();
  }

  private async record(
    em: EntityManager,
    productId: string,
    delta: number,
    reason: StockReason,
    c: StockChange,
  ) {
    await insertRows(em, StockMovement, {
      id: randomUUID(),
      productId,
      delta,
      reason,
      orderId: c.orderId ?? null,
      actorId: c.actorId ?? null,
    });
  }
}
