import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OnEvent } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { PRODUCT_DEACTIVATED } from '../../common/events';
import type { ProductDeactivatedEvent } from '../../common/events';
import { toKzt } from '../../common/money/money';
import { UnitOfWork } from '../../database/unit-of-work';
import { Product } from '../products/product.entity';
import type { Actor } from '../../common/auth/actor';
import { CartItem } from './cart-item.entity';
import { AddCartItemDto, CartResponse, UpdateCartItemDto } from './dto/cart.dto';

/** A cart line with its product, as checkout reads it. */
export interface CartLine {
  productId: string;
  quantity: number;
  product: Product;
}

/**
 * The cart: one line per product. Adds are one conditional upsert (insert or increment, only
 * while the line stays within the stock), so concurrent adds never lose an update nor exceed stock.
 */
@Injectable()
export class CartService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  get(actor: Actor): Promise<CartResponse> {
    return this.render(this.ds.manager, actor.id);
  }

  async add(actor: Actor, dto: AddCartItemDto): Promise<CartResponse> {
    await this.uow.run(async (em) => {
      const product = await em.findOneBy(Product, { id: dto.product_id });
      if (!product || !product.isActive) throw notFound('Product');
      if (product.sellerId === actor.id) {
        throw new DomainError('NOT_A_BUYER', 'A seller cannot put their own product in the cart');
      }
      const added = await this.upsertWithinStock(em, actor.id, dto.product_id, dto.quantity);
      if (!added) {
        const line = await em.findOneBy(CartItem, { userId: actor.id, productId: dto.product_id });
        const fresh = await em.findOneBy(Product, { id: dto.product_id });
        throw new DomainError('OUT_OF_STOCK', `Not enough stock for "${product.name}"`, {
          products: [
            {
              product_id: product.id,
              name: product.name,
              requested: (line?.quantity ?? 0) + dto.quantity,
              available: fresh?.quantity ?? 0,
            },
          ],
        });
      }
    });
    return this.get(actor);
  }

  async update(actor: Actor, productId: string, dto: UpdateCartItemDto): Promise<CartResponse> {
    await this.uow.run(async (em) => {
      const line = await em.findOne(CartItem, {
        where: { userId: actor.id, productId },
        relations: { product: true },
      });
      if (!line) throw notFound('Cart item');
      const product = line.product;
      if (!product || !product.isActive) {
        throw new DomainError('PRODUCT_UNAVAILABLE', 'The product is no longer available', {
          products: [
            {
              product_id: productId,
              name: product?.name ?? null,
              requested: dto.quantity,
              available: 0,
            },
          ],
        });
      }
      const res = await em
        .createQueryBuilder()
        .update(CartItem)
        .set({ quantity: dto.quantity })
        .where('user_id = :u AND product_id = :p', { u: actor.id, p: productId })
        .andWhere(
          `EXISTS (SELECT 1 FROM products WHERE products.id = :p AND products.quantity >= :q)`,
          { p: productId, q: dto.quantity },
        )
        .execute();
      if (res.affected !== 1) {
        throw new DomainError('OUT_OF_STOCK', `Not enough stock for "${product.name}"`, {
          products: [
            {
              product_id: productId,
              name: product.name,
              requested: dto.quantity,
              available: product.quantity,
            },
          ],
        });
      }
    });
    return this.get(actor);
  }

  async remove(actor: Actor, productId: string): Promise<CartResponse> {
    await this.uow.run(async (em) => {
      const res = await em.delete(CartItem, { userId: actor.id, productId });
      if (!res.affected) throw notFound('Cart item');
    });
    return this.get(actor);
  }

  async clear(actor: Actor): Promise<CartResponse> {
    await this.uow.run((em) => this.clearIn(em, actor.id));
    return this.get(actor);
  }

  /** The lines with their products (one statement), for checkout inside its transaction. */
  async linesFor(em: EntityManager, userId: string): Promise<CartLine[]> {
    const rows = await em.find(CartItem, {
      where: { userId },
      relations: { product: true },
      order: { addedAt: 'ASC', productId: 'ASC' },
    });
    return rows
      .filter((r): r is CartItem & { product: Product } => !!r.product)
      .map((r) => ({ productId: r.productId, quantity: r.quantity, product: r.product }));
  }

  /** Empties a user's cart inside the caller's transaction. */
  async clearIn(em: EntityManager, userId: string): Promise<void> {
    await em.delete(CartItem, { userId });
  }

  /** A deleted (deactivated) product leaves every cart, in the deleting transaction. */
  @OnEvent(PRODUCT_DEACTIVATED)
  async onProductDeactivated(e: ProductDeactivatedEvent): Promise<void> {
    await e.em.delete(CartItem, { productId: e.productId });
  }

  /**
   * INSERT … ON CONFLICT DO UPDATE … WHERE, valid on SQLite (≥ 3.35) and PostgreSQL: creates the
   * line or adds to it, only if the result stays within the product's stock. True when it wrote.
   */
  private async upsertWithinStock(
    em: EntityManager,
    userId: string,
    productId: string,
    quantity: number,
  ): Promise<boolean> {
    const pg = this.ds.options.type === 'postgres';
    const p = (i: number) => (pg ? `$${i}` : '?');
    const sql =
      `INSERT INTO cart_items (id, user_id, product_id, quantity) ` +
      `SELECT ${p(1)}, ${p(2)}, pr.id, ${p(3)} FROM products pr ` +
      `WHERE pr.id = ${p(4)} AND pr.quantity >= ${p(5)} ` +
      `ON CONFLICT (user_id, product_id) DO UPDATE SET ` +
      `quantity = cart_items.quantity + excluded.quantity, updated_at = excluded.updated_at ` +
      `WHERE cart_items.quantity + excluded.quantity <= ` +
      `(SELECT quantity FROM products WHERE products.id = excluded.product_id) ` +
      `RETURNING quantity`;
    const rows: unknown = await em.query(sql, [
      randomUUID(),
      userId,
      quantity,
      productId,
      quantity,
    ]);
    return Array.isArray(rows) && rows.length === 1;
  }

  private async render(em: EntityManager, userId: string): Promise<CartResponse> {
    const lines = await em.find(CartItem, {
      where: { userId },
      relations: { product: true },
      order: { addedAt: 'ASC', productId: 'ASC' },
    });
    let totalItems = 0;
    let totalTiyn = 0;
    const items = lines
      .filter((l) => !!l.product)
      .map((l) => {
        const pr = l.product!;
        const subtotal = pr.price * l.quantity;
        totalItems += l.quantity;
        totalTiyn += subtotal;
        return {
          product_id: l.productId,
          product: {
            id: pr.id,
            name: pr.name,
            price: toKzt(pr.price),
            image_urls: pr.imageUrls ?? [],
            quantity: pr.quantity,
            is_active: !!pr.isActive,
          },
          quantity: l.quantity,
          unit_price: toKzt(pr.price),
          subtotal: toKzt(subtotal),
          added_at: new Date(l.addedAt).toISOString(),
        };
      });
    return { items, total_items: totalItems, total_amount: toKzt(totalTiyn) };
  }
}
