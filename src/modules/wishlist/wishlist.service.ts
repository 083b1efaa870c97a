import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../database/db-errors';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import { PRODUCT_DEACTIVATED } from '../../common/events';
import type { ProductDeactivatedEvent } from '../../common/events';
import { UnitOfWork } from '../../database/unit-of-work';
import { ProductsService } from '../products/products.service';
import type { Actor } from '../../common/auth/actor';
import { toWishlistItemResponse, WishlistItemResponse, WishlistResponse } from './dto/wishlist.dto';
import { WishlistItem } from './wishlist-item.entity';

/**
 * A user's wishlist: active products they want to remember. Private to its owner: every call
 * works on the caller's own lines only. A deactivated product leaves every wishlist.
 */
@Injectable()
export class WishlistService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly products: ProductsService,
  ) {}

  /** One statement: the lines joined with their products, newest first. */
  async list(actor: Actor): Promise<WishlistResponse> {
    const rows = await this.ds
      .getRepository(WishlistItem)
      .createQueryBuilder('w')
      .innerJoinAndSelect('w.product', 'p', 'p.is_active = :active', { active: true })
      .where('w.user_id = :userId', { userId: actor.id })
      .orderBy('w.addedAt', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .getMany();
    const items = rows.map((r) => toWishlistItemResponse(r, r.product!));
    return { items, total: items.length };
  }

  /** Adds an active product; `created` is false when it was already there (same item back). */
  async add(
    actor: Actor,
    productId: string,
  ): Promise<{ created: boolean; item: WishlistItemResponse }> {
    const attempt = () =>
      this.uow.run(async (em) => {
        const product = await this.products.getActive(productId, em);
        const existing = await this.find(em, actor.id, productId);
        if (existing) return { created: false, item: toWishlistItemResponse(existing, product) };
        const id = randomUUID();
        await em.insert(WishlistItem, { id, userId: actor.id, productId });
        const item = await em.findOneByOrFail(WishlistItem, { id });
        return { created: true, item: toWishlistItemResponse(item, product) };
      });
    try {
      return await attempt();
    } catch (e) {
      if (isUniqueViolation(e)) return attempt(); // a concurrent add won: answer with its line
      throw e;
    }
  }

  /** The line, or 404 when the product is not in the caller's wishlist. */
  async get(actor: Actor, productId: string): Promise<WishlistItemResponse> {
    const item = await this.ds
      .getRepository(WishlistItem)
      .createQueryBuilder('w')
      .innerJoinAndSelect('w.product', 'p', 'p.is_active = :active', { active: true })
      .where('w.user_id = :userId AND w.product_id = :productId', { userId: actor.id, productId })
      .getOne();
    if (!item) throw notFound('Wishlist item');
    return toWishlistItemResponse(item, item.product!);
  }

  /** Removes the line; 404 when it is not there. */
  async remove(actor: Actor, productId: string): Promise<void> {
    await this.uow.run(async (em) => {
      const res = await em.delete(WishlistItem, { userId: actor.id, productId });
      if (!res.affected) throw notFound('Wishlist item');
    });
  }

  /** A deactivated product leaves every wishlist, inside the deactivating transaction. */
  @OnEvent(PRODUCT_DEACTIVATED, { suppressErrors: false })
  async onProductDeactivated(e: ProductDeactivatedEvent): Promise<void> {
    await e.em.delete(WishlistItem, { productId: e.productId });
  }

  private find(em: EntityManager, userId: string, productId: string) {
    return em.findOneBy(WishlistItem, { userId, productId });
  }
}
