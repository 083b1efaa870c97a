import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

import type { Actor } from '../../common/auth/actor';
import { notFound } from '../../common/errors/domain-error';
import { PRODUCT_DEACTIVATED, ProductDeactivatedEvent } from '../../common/events';
import { toTiyn } from '../../common/money/money';
import { Page, pageOf, PageQuery, skipOf } from '../../common/pagination/pagination';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { publicAnswer } from './catalog-cache/catalog-cacheable';
import { CatalogTotals } from './catalog-cache/catalog-totals';
import { CreateProductDto, MAX_NAME, UpdateProductDto } from './dto/product.dto';
import { ProductResponse, toProductResponse } from './dto/product.response';
import { ProductListQuery } from './dto/product-query.dto';
import { StockMovementResponse, toStockMovementResponse } from './dto/stock-movement.response';
import type { Product } from './product.entity';
import { catalogSlice, searchKey } from './product-catalog.query';
import { ProductInventoryService } from './product-inventory.service';
import type { ProductDetails, ProductSnapshot } from './product-shape';
import { ProductsRepository } from './products.repository';
import { SellerVisibility } from './seller-visibility';

/** The search columns that follow a product's name and description. */
export const searchColumns = (name: string, description: string) => ({
  // lower-casing may lengthen a string ('İ' → 'i̇'); the column holds 200 characters
  nameSearch: searchKey(name).slice(0, MAX_NAME),
  searchText: searchKey(`${name} ${description}`),
});

/** An admin, or the seller who owns the product. */
const manages = (actor: Actor | undefined, p: ProductSnapshot) =>
  !!actor && (actor.role === 'admin' || actor.id === p.sellerId);

/**
 * The catalog: sellers create and edit their products, everybody browses the active ones. A
 * product is never deleted (orders keep pointing at it): DELETE deactivates it, and the
 * deactivation takes it out of carts and wishlists in the same transaction.
 */
@Injectable()
export class ProductsService {
  constructor(
    private readonly products: ProductsRepository,
    private readonly uow: UnitOfWork,
    private readonly inventory: ProductInventoryService,
    private readonly totals: CatalogTotals,
    private readonly events: EventEmitter2,
    private readonly sellers: SellerVisibility,
  ) {}

  /**
   * The public listing: active products of sellers who may sell. Two statements (a COUNT and the
   * page); the COUNT is reused until the catalog or the sellers' filter changes (CatalogTotals).
   * The filter is read after the catalog cache took its snapshot (the interceptor runs first), so
   * an answer computed before a shop's move is never kept after it.
   */
  async list(q: ProductListQuery): Promise<Page<ProductResponse>> {
    const base = catalogSlice(q);
    const slice = { ...base, filter: { ...base.filter, sellers: this.sellers.sellerFilter() } };
    const total = await this.totals.of(slice.filter, () =>
      this.products.countCatalog(slice.filter),
    );
    const rows = await this.products.catalogPage(slice);
    return pageOf(rows.map(toProductResponse), total, q);
  }

  /**
   * A product as `actor` may see it; an active one of a seller who may sell is the same answer
   * for everyone (kept by the catalog cache).
   */
  async get(actor: Actor | undefined, id: string): Promise<ProductResponse> {
    const p = await this.getVisible(actor, id);
    const answer = toProductResponse(p);
    return this.listed(p) ? publicAnswer(answer) : answer;
  }

  /**
   * A product as `actor` may see it: an inactive one, or one of a hidden seller (suspended shop;
   * manual approval: never approved), only to its seller and admins, else 404.
   */
  async getVisible(actor: Actor | undefined, id: string): Promise<ProductDetails> {
    const p = await this.products.detailsById(id);
    if (!p || (!this.listed(p) && !manages(actor, p))) throw notFound('Product');
    return p;
  }

  /**
   * An active product of a seller who may sell (404 otherwise), optionally inside a transaction.
   */
  async getActive(id: string, tx?: Tx): Promise<ProductDetails> {
    const p = await this.products.detailsById(id, tx);
    if (!p || !this.listed(p)) throw notFound('Product');
    return p;
  }

  /** How many active products the seller has (the public shop page's `product_count`). */
  activeProductCount(sellerId: string): Promise<number> {
    return this.products.activeCountOf(sellerId);
  }

  /** The seller panel: the seller's own products, inactive included, newest first. */
  async listForSeller(seller: Actor, q: PageQuery): Promise<Page<ProductResponse>> {
    return this.allPage(seller.id, q);
  }

  /** The admin panel: every product, inactive included, newest first. */
  async listForAdmin(_admin: Actor, q: PageQuery): Promise<Page<ProductResponse>> {
    return this.allPage(undefined, q);
  }

  /** The seller's active products with at most `threshold` units left, scarcest first. */
  async lowStockForSeller(
    seller: Actor,
    threshold: number,
    limit = 100,
  ): Promise<ProductResponse[]> {
    const rows = await this.products.lowStock(seller.id, threshold, limit);
    return rows.map(toProductResponse);
  }

  async create(actor: Actor, dto: CreateProductDto): Promise<ProductResponse> {
    const product = await this.uow.run(async (tx) => {
      const id = randomUUID();
      const created = await this.products.insert(tx, {
        id,
        sellerId: actor.id,
        name: dto.name,
        description: dto.description,
        price: toTiyn(dto.price),
        quantity: dto.quantity,
        category: dto.category,
        imageUrls: dto.image_urls ?? [],
        isActive: true,
        ...searchColumns(dto.name, dto.description),
      });
      await this.inventory.recordInitial(tx, id, dto.quantity, actor.id);
      return created;
    });
    return toProductResponse(product);
  }

  /** The owner or an admin edits; anyone else gets 404. */
  async update(actor: Actor, id: string, dto: UpdateProductDto): Promise<ProductResponse> {
    const product = await this.uow.run(async (tx) => {
      const p = await this.findManaged(tx, actor, id);
      const patch: Partial<Product> = {};
      if (dto.name !== undefined) patch.name = dto.name;
      if (dto.description !== undefined) patch.description = dto.description;
      if (dto.name !== undefined || dto.description !== undefined) {
        Object.assign(patch, searchColumns(dto.name ?? p.name, dto.description ?? p.description));
      }
      if (dto.price !== undefined) patch.price = toTiyn(dto.price);
      if (dto.category !== undefined) patch.category = dto.category;
      if (dto.image_urls !== undefined) patch.imageUrls = dto.image_urls;
      if (dto.is_active !== undefined) patch.isActive = dto.is_active;
      // the quantity first: its statement stamps updated_at with second precision
      if (dto.quantity !== undefined) {
        await this.inventory.setQuantity(tx, id, dto.quantity, actor.id);
      }
      await this.products.update(tx, id, { ...patch, updatedAt: new Date() });
      if (p.isActive && dto.is_active === false) await this.deactivated(tx, id);
      return this.products.reload(tx, id);
    });
    return toProductResponse(product);
  }

  /** Deactivates (the owner or an admin; anyone else gets 404). Repeating it changes nothing. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const p = await this.findManaged(tx, actor, id);
      if (!p.isActive) return;
      await this.products.update(tx, id, { isActive: false, updatedAt: new Date() });
      await this.deactivated(tx, id);
    });
  }

  /** The stock ledger of a product, newest first (its seller or an admin; else 404). */
  async stockMovements(
    actor: Actor,
    id: string,
    q: PageQuery,
  ): Promise<Page<StockMovementResponse>> {
    await this.findManaged(undefined, actor, id);
    const [rows, total] = await this.products.movementsPage(id, skipOf(q), q.page_size ?? 20);
    return pageOf(rows.map(toStockMovementResponse), total, q);
  }

  private async allPage(sellerId: string | undefined, q: PageQuery) {
    const [rows, total] = await this.products.allPage(sellerId, skipOf(q), q.page_size ?? 20);
    return pageOf(rows.map(toProductResponse), total, q);
  }

  /** The product when `actor` manages it (its seller or an admin); else 404, as if unknown. */
  private async findManaged(tx: Tx | undefined, actor: Actor, id: string): Promise<Product> {
    const p = await this.products.findById(id, tx);
    if (!p || !manages(actor, p)) throw notFound('Product');
    return p;
  }

  /** Active, and its seller may sell: what the public catalog shows. */
  private listed(p: ProductSnapshot): boolean {
    return p.isActive && this.sellers.canSell(p.sellerId);
  }

  /** Carts and wishlists drop the product inside this transaction. */
  private async deactivated(tx: Tx, productId: string): Promise<void> {
    const event: ProductDeactivatedEvent = { em: tx, productId };
    await this.events.emitAsync(PRODUCT_DEACTIVATED, event);
  }
}
