import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { ProductDeactivatedEvent } from '../../common/events';
import { PRODUCT_DEACTIVATED } from '../../common/events';
import { toKzt } from '../../common/money/money';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { ProductInventoryService } from '../products/product-inventory.service';
import type { ProductSnapshot } from '../products/product-shape';
import { CartRepository } from './cart.repository';
import { AddCartItemDto, UpdateCartItemDto } from './dto/cart.dto';
import { CartResponse } from './dto/cart.response';
import { CartSellerGate } from './seller-gate';
import { stockConflict } from './stock-conflict';

/** A cart line with its product, as checkout reads it. */
export interface CartLine {
  productId: string;
  quantity: number;
  product: ProductSnapshot;
}

/** A line as the cart shows it: also when it was added. */
type ShownLine = CartLine & { addedAt: Date };

/**
 * The cart: one line per product. The products are asked of the products module, by id, in the
 * caller's transaction. Adds are one conditional upsert (insert or increment, only while the line
 * stays within the stock read in the same transaction), so concurrent adds of one line never
 * lose an update nor exceed the stock.
 */
@Injectable()
export class CartService {
  constructor(
    private readonly items: CartRepository,
    private readonly inventory: ProductInventoryService,
    private readonly uow: UnitOfWork,
    private readonly sellers: CartSellerGate,
  ) {}

  async get(actor: Actor): Promise<CartResponse> {
    return render(await this.linesOf(actor.id));
  }

  /** Answers with the cart read in the same transaction (the added product is not read again). */
  async add(actor: Actor, dto: AddCartItemDto): Promise<CartResponse> {
    // a read, one conditional upsert, a read: no transaction of its own on PostgreSQL
    const lines = await this.uow.statements(async (tx) => {
      const product = await this.productIn(tx, dto.product_id);
      if (!product || !product.isActive) throw notFound('Product');
      if (product.sellerId === actor.id) {
        throw new DomainError('NOT_A_BUYER', 'A seller cannot put their own product in the cart');
      }
      if (this.sellers.onHoliday(product.sellerId)) throw onHoliday(product);
      const stock = product.quantity;
      if (dto.quantity <= stock) {
        if (await this.items.addWithinStock(tx, actor.id, product.id, dto.quantity, stock)) {
          return this.linesOf(actor.id, tx, product);
        }
      }
      const line = await this.items.lineOf(tx, actor.id, product.id);
      throw stockConflict([
        problem(product.id, product, (line?.quantity ?? 0) + dto.quantity, stock),
      ]);
    });
    return render(lines);
  }

  /**
   * Not in the cart → 404 first; then an inactive product (or a hidden seller's) or more than in
   * stock → 409; a larger line of a shop on holiday → 409 SHOP_ON_HOLIDAY (a smaller one is fine).
   */
  async update(actor: Actor, productId: string, dto: UpdateCartItemDto): Promise<CartResponse> {
    await this.uow.run(async (tx) => {
      const product = await this.productIn(tx, productId);
      const available = product?.isActive ? product.quantity : 0;
      const fits = !!product?.isActive && dto.quantity <= available;
      if (fits && this.sellers.onHoliday(product.sellerId)) {
        const line = await this.items.lineOf(tx, actor.id, productId);
        if (line && dto.quantity > line.quantity) throw onHoliday(product);
      }
      if (fits && (await this.items.setQuantity(tx, actor.id, productId, dto.quantity))) return;
      if (fits || !(await this.items.lineOf(tx, actor.id, productId))) {
        throw notFound('Cart item');
      }
      throw stockConflict([problem(productId, product, dto.quantity, available)]);
    });
    return this.get(actor);
  }

  async remove(actor: Actor, productId: string): Promise<CartResponse> {
    await this.uow.run(async (tx) => {
      if (!(await this.items.removeLine(tx, actor.id, productId))) throw notFound('Cart item');
    });
    return this.get(actor);
  }

  async clear(actor: Actor): Promise<CartResponse> {
    await this.uow.run((tx) => this.clearIn(tx, actor.id));
    return this.get(actor);
  }

  /** The lines with their products (two statements), for checkout inside its transaction. */
  linesFor(tx: Tx, userId: string): Promise<CartLine[]> {
    return this.linesOf(userId, tx);
  }

  /** Empties a user's cart inside the caller's transaction. */
  async clearIn(tx: Tx, userId: string): Promise<void> {
    await this.items.clear(tx, userId);
  }

  /** A deleted (deactivated) product leaves every cart, in the deleting transaction. */
  @OnEvent(PRODUCT_DEACTIVATED)
  async onProductDeactivated(e: ProductDeactivatedEvent): Promise<void> {
    await this.items.removeProduct(e.em, e.productId);
  }

  /** One product as the cart sees it (see `asSold`), or undefined when unknown. */
  private async productIn(tx: Tx, productId: string): Promise<ProductSnapshot | undefined> {
    const [product] = await this.inventory.snapshotsByIds([productId], tx);
    return product && this.asSold(product);
  }

  /**
   * The product as the cart (and checkout, through `linesFor`) sees it: a hidden seller's product
   * is inactive — its lines stay, shown `is_active: false`, and checkout refuses them (409
   * PRODUCT_UNAVAILABLE naming them).
   */
  private asSold<P extends ProductSnapshot>(p: P): P {
    return p.isActive && !this.sellers.canSell(p.sellerId) ? { ...p, isActive: false } : p;
  }

  /**
   * The lines (one statement), then their products by id (one more, left out when `known`, a
   * product read in the same transaction, is the only one); a line without one is left out.
   */
  private async linesOf(userId: string, tx?: Tx, known?: ProductSnapshot): Promise<ShownLine[]> {
    const lines = await this.items.linesOf(userId, tx);
    if (!lines.length) return [];
    const ids = [...new Set(lines.map((l) => l.productId))].filter((id) => id !== known?.id);
    const found = ids.length ? await this.inventory.snapshotsByIds(ids, tx) : [];
    const products = new Map(found.map((p) => [p.id, this.asSold(p)]));
    if (known) products.set(known.id, known);
    return lines.flatMap((l) => {
      const product = products.get(l.productId);
      return product
        ? [{ productId: l.productId, quantity: l.quantity, addedAt: l.addedAt, product }]
        : [];
    });
  }
}

const onHoliday = (p: ProductSnapshot) =>
  new DomainError('SHOP_ON_HOLIDAY', `The shop of "${p.name}" is on holiday`, {
    product_id: p.id,
    seller_id: p.sellerId,
  });

/** The one entry of a cart 409 (checkout builds the same through `stockConflict`). */
function problem(
  productId: string,
  product: ProductSnapshot | undefined,
  requested: number,
  available: number,
) {
  return {
    product_id: productId,
    name: product?.name ?? null,
    requested,
    available,
    is_active: !!product?.isActive,
  };
}

function render(lines: ShownLine[]): CartResponse {
  let totalItems = 0;
  let totalTiyn = 0;
  const items = lines.map(({ product: pr, quantity, productId, addedAt }) => {
    const subtotal = pr.price * quantity;
    totalItems += quantity;
    totalTiyn += subtotal;
    return {
      product_id: productId,
      product: {
        id: pr.id,
        name: pr.name,
        price: toKzt(pr.price),
        image_urls: pr.imageUrls ?? [],
        quantity: pr.quantity,
        is_active: !!pr.isActive,
      },
      quantity,
      unit_price: toKzt(pr.price),
      subtotal: toKzt(subtotal),
      added_at: new Date(addedAt).toISOString(),
    };
  });
  return { items, total_items: totalItems, total_amount: toKzt(totalTiyn) };
}
