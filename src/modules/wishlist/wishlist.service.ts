import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import type { Actor } from '../../common/auth/actor';
import { notFound } from '../../common/errors/domain-error';
import type { ProductDeactivatedEvent } from '../../common/events';
import { PRODUCT_DEACTIVATED } from '../../common/events';
import { isUniqueViolation } from '../../database/db-errors';
import { UnitOfWork } from '../../database/unit-of-work';
import { ProductInventoryService } from '../products/product-inventory.service';
import type { ProductDetails } from '../products/product-shape';
import { ProductsService } from '../products/products.service';
import {
  toWishlistItemResponse,
  WishlistItemResponse,
  WishlistResponse,
} from './dto/wishlist.response';
import { WishlistSellerGate } from './seller-gate';
import { WishlistRepository } from './wishlist.repository';

/**
 * A user's wishlist: active products they want to remember. Private to its owner: every call
 * works on the caller's own lines only. A deactivated product leaves every wishlist (and one
 * that is inactive anyway is not shown); a hidden seller's product stays, shown inactive.
 */
@Injectable()
export class WishlistService {
  constructor(
    private readonly lines: WishlistRepository,
    private readonly uow: UnitOfWork,
    private readonly products: ProductsService,
    private readonly inventory: ProductInventoryService,
    private readonly sellers: WishlistSellerGate,
  ) {}

  /** Two statements: the lines, newest first, then their products. */
  async list(actor: Actor): Promise<WishlistResponse> {
    const rows = await this.lines.linesOf(actor.id);
    const products = await this.inventory.findByIds(rows.map((r) => r.productId));
    const active = new Map(products.filter((p) => p.isActive).map((p) => [p.id, p]));
    const items = rows.flatMap((r) => {
      const product = active.get(r.productId);
      return product ? [toWishlistItemResponse(r, this.asSold(product))] : [];
    });
    return { items, total: items.length };
  }

  /** Adds an active product; `created` is false when it was already there (same item back). */
  async add(
    actor: Actor,
    productId: string,
  ): Promise<{ created: boolean; item: WishlistItemResponse }> {
    const attempt = () =>
      this.uow.run(async (tx) => {
        const product = await this.products.getActive(productId, tx);
        const existing = await this.lines.lineOf(actor.id, productId, tx);
        if (existing) return { created: false, item: toWishlistItemResponse(existing, product) };
        const item = await this.lines.insert(tx, { id: randomUUID(), userId: actor.id, productId });
        return { created: true, item: toWishlistItemResponse(item, product) };
      });
    try {
      return await attempt();
    } catch (e) {
      if (isUniqueViolation(e)) return attempt(); // a concurrent add won: answer with its line
      throw e;
    }
  }

  /** The line, or 404 when the product is not in the caller's wishlist (or is inactive). */
  async get(actor: Actor, productId: string): Promise<WishlistItemResponse> {
    const item = await this.lines.lineOf(actor.id, productId);
    const [product] = item ? await this.inventory.findByIds([productId]) : [];
    if (!item || !product?.isActive) throw notFound('Wishlist item');
    return toWishlistItemResponse(item, this.asSold(product));
  }

  /** A hidden seller's product is shown as not active (it is not sold while hidden). */
  private asSold(p: ProductDetails): ProductDetails {
    return this.sellers.canSell(p.sellerId) ? p : { ...p, isActive: false };
  }

  /** Removes the line; 404 when it is not there. */
  async remove(actor: Actor, productId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      if (!(await this.lines.remove(tx, actor.id, productId))) throw notFound('Wishlist item');
    });
  }

  /** A deactivated product leaves every wishlist, inside the deactivating transaction. */
  @OnEvent(PRODUCT_DEACTIVATED, { suppressErrors: false })
  async onProductDeactivated(e: ProductDeactivatedEvent): Promise<void> {
    await this.lines.removeProduct(e.em, e.productId);
  }
}
