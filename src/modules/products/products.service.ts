import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../../common/errors/domain-error';
import { PRODUCT_DEACTIVATED, ProductDeactivatedEvent } from '../../common/events';
import { toTiyn } from '../../common/money/money';
import { Page, pageOf, PageQuery, skipOf } from '../../common/pagination/pagination';
import { UnitOfWork } from '../../database/unit-of-work';
import type { Actor } from '../../common/auth/actor';
import { ProductListQuery } from './dto/product-query.dto';
import {
  CreateProductDto,
  MAX_NAME,
  ProductResponse,
  toProductResponse,
  UpdateProductDto,
} from './dto/product.dto';
import { StockMovementResponse, toStockMovementResponse } from './dto/stock-movement.dto';
import { ProductCatalogQuery, searchKey } from './product-catalog.query';
import { ProductInventoryService } from './product-inventory.service';
import { Product } from './product.entity';
import { StockMovement } from './stock-movement.entity';

/** The search columns that follow a product's name and description. */
export const searchColumns = (name: string, description: string) => ({
  // lower-casing may lengthen a string ('İ' → 'i̇'); the column holds 200 characters
  nameSearch: searchKey(name).slice(0, MAX_NAME),
  searchText: searchKey(`${name} ${description}`),
});

/** An admin, or the seller who owns the product. */
const manages = (actor: Actor | undefined, p: Product) =>
  !!actor && (actor.role === 'admin' || actor.id === p.sellerId);

/**
 * The catalog: sellers create and edit their products, everybody browses the active ones. A
 * product is never deleted (orders keep pointing at it): DELETE deactivates it, and the
 * deactivation takes it out of carts and wishlists in the same transaction.
 */
@Injectable()
export class ProductsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly inventory: ProductInventoryService,
    private readonly catalog: ProductCatalogQuery,
    private readonly events: EventEmitter2,
  ) {}

  /** The public listing: active products only. */
  list(q: ProductListQuery): Promise<Page<ProductResponse>> {
    return this.catalog.page(q);
  }

  async get(actor: Actor | undefined, id: string): Promise<ProductResponse> {
    return toProductResponse(await this.getVisible(actor, id));
  }

  /** A product as `actor` may see it: an inactive one only to its seller and admins, else 404. */
  async getVisible(actor: Actor | undefined, id: string): Promise<Product> {
    const p = await this.ds.getRepository(Product).findOneBy({ id });
    if (!p || (!p.isActive && !manages(actor, p))) throw notFound('Product');
    return p;
  }

  /** An active product (404 when unknown or inactive), optionally inside a transaction. */
  async getActive(id: string, em: EntityManager = this.ds.manager): Promise<Product> {
    const p = await em.findOneBy(Product, { id });
    if (!p || !p.isActive) throw notFound('Product');
    return p;
  }

  async create(actor: Actor, dto: CreateProductDto): Promise<ProductResponse> {
    const product = await this.uow.run(async (em) => {
      const id = randomUUID();
      await em.insert(Product, {
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
      await this.inventory.recordInitial(em, id, dto.quantity, actor.id);
      return em.findOneByOrFail(Product, { id });
    });
    return toProductResponse(product);
  }

  /** The owner or an admin edits; anyone else gets 404. */
  async update(actor: Actor, id: string, dto: UpdateProductDto): Promise<ProductResponse> {
    const product = await this.uow.run(async (em) => {
      const p = await this.findManaged(em, actor, id);
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
        await this.inventory.setQuantity(em, id, dto.quantity, actor.id);
      }
      await em.update(Product, { id }, { ...patch, updatedAt: new Date() });
      if (p.isActive && dto.is_active === false) await this.deactivated(em, id);
      return em.findOneByOrFail(Product, { id });
    });
    return toProductResponse(product);
  }

  /** Deactivates (the owner or an admin; anyone else gets 404). Repeating it changes nothing. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (em) => {
      const p = await this.findManaged(em, actor, id);
      if (!p.isActive) return;
      await em.update(Product, { id }, { isActive: false, updatedAt: new Date() });
      await this.deactivated(em, id);
    });
  }

  /** The stock ledger of a product, newest first (its seller or an admin; else 404). */
  async stockMovements(
    actor: Actor,
    id: string,
    q: PageQuery,
  ): Promise<Page<StockMovementResponse>> {
    await this.findManaged(this.ds.manager, actor, id);
    const [rows, total] = await this.ds.getRepository(StockMovement).findAndCount({
      where: { productId: id },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: skipOf(q),
      take: q.page_size ?? 20,
    });
    return pageOf(rows.map(toStockMovementResponse), total, q);
  }

  private async findManaged(em: EntityManager, actor: Actor, id: string): Promise<Product> {
    const p = await em.findOneBy(Product, { id });
    if (!p || !manages(actor, p)) throw notFound('Product');
    return p;
  }

  /** Carts and wishlists drop the product inside this transaction. */
  private async deactivated(em: EntityManager, productId: string): Promise<void> {
    const event: ProductDeactivatedEvent = { em, productId };
    await this.events.emitAsync(PRODUCT_DEACTIVATED, event);
  }
}
