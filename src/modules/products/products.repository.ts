import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import { DataSource, In, LessThanOrEqual, SelectQueryBuilder } from 'typeorm';

import { EntityVersion } from '../../database/entity-version';
import { insertRows } from '../../database/insert-rows';
import { ratingCounterSet } from '../../database/rating-counters';
import {
  ColumnOf,
  insertValues,
  isPostgres,
  placeholders,
  queryWithHeldWrites,
  sqlDate,
} from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import { Product } from './product.entity';
import {
  CatalogFilter,
  CatalogSlice,
  containsPattern,
  countedPerCategory,
  ftsPhrase,
  SortColumn,
  usesTrigramIndex,
} from './product-catalog.query';
import type { ProductCategory, ProductDetails, ProductSnapshot } from './product-shape';
import type { SellerFilter } from './seller-visibility';
import type { StockReason } from './stock-movement.entity';
import { StockMovement } from './stock-movement.entity';

/** The sort columns as query-builder paths. */
const SORT_PATHS: Record<SortColumn, string> = {
  price: 'p.price',
  createdAt: 'p.createdAt',
  rating: 'p.rating',
  soldCount: 'p.soldCount',
};

/** A stock movement as written (created_at is the database's default). */
export interface MovementRow {
  id: string;
  productId: string;
  delta: number;
  reason: StockReason;
  orderId: string | null;
  actorId: string | null;
}

const MOVEMENT_COLUMNS: ColumnOf<MovementRow>[] = [
  ['id', 'id'],
  ['product_id', 'productId'],
  ['delta', 'delta'],
  ['reason', 'reason'],
  ['order_id', 'orderId'],
  ['actor_id', 'actorId'],
];

interface SnapshotRow {
  id: string;
  seller_id: string;
  name: string;
  price: number | string;
  quantity: number | string;
  category: ProductCategory;
  image_urls: string | null;
  is_active: boolean | number;
}

/** A raw row read as TypeORM would hydrate it (bigint text → number, 0/1 → boolean, JSON text). */
const toSnapshot = (r: SnapshotRow): ProductSnapshot => ({
  id: r.id,
  sellerId: r.seller_id,
  name: r.name,
  price: Number(r.price),
  quantity: Number(r.quantity),
  category: r.category,
  imageUrls: r.image_urls ? (JSON.parse(r.image_urls) as string[]) : [],
  isActive: !!r.is_active,
});

interface DetailsRow extends SnapshotRow {
  description: string;
  rating: number | string;
  rating_sum: number | string;
  review_count: number | string;
  created_at: Date | string;
  updated_at: Date | string;
}

const toDetails = (r: DetailsRow): ProductDetails => ({
  ...toSnapshot(r),
  description: r.description,
  rating: Number(r.rating),
  ratingSum: Number(r.rating_sum),
  reviewCount: Number(r.review_count),
  createdAt: sqlDate(r.created_at),
  updatedAt: sqlDate(r.updated_at),
});

const DETAILS_SQL = (pg: boolean) =>
  'SELECT "id", "seller_id", "name", "description", "price", "quantity", "category", ' +
  '"image_urls", "is_active", "rating", "rating_sum", "review_count", "created_at", ' +
  `"updated_at" FROM "products" WHERE "id" = ${pg ? '$1' : '?'}`;

/**
 * Every query on `products` and its stock ledger `stock_movements` (one aggregate). Methods that
 * may run inside a transaction take `tx`; reads default to the pool.
 */
@Injectable()
export class ProductsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * A version of the products table that moves with every write to it (see EntityVersion), for
   * the catalog's caches. Call once: each call registers another subscriber.
   */
  watchVersion(): EntityVersion<Product> {
    return new EntityVersion(this.ds, Product);
  }

  findById(id: string, tx: Tx = this.ds.manager): Promise<Product | null> {
    return tx.findOneBy(Product, { id });
  }

  /**
   * A product as its public answer shows it (`ProductDetails`), by id, in one statement of fixed
   * text: no query building, no entity hydration (the first read of every product page).
   */
  async detailsById(id: string, tx: Tx = this.ds.manager): Promise<ProductDetails | null> {
    const rows: DetailsRow[] = await tx.query(DETAILS_SQL(isPostgres(tx)), [id]);
    return rows.length ? toDetails(rows[0]) : null;
  }

  findByIds(ids: string[], tx: Tx = this.ds.manager): Promise<Product[]> {
    if (!ids.length) return Promise.resolve([]);
    return tx.findBy(Product, { id: In(ids) });
  }

  /**
   * The products as the cart and checkout see them (`ProductSnapshot`), by id, in one statement
   * of fixed text: no query building, no entity hydration (the hot path of every checkout).
   */
  async snapshotsByIds(ids: string[], tx: Tx = this.ds.manager): Promise<ProductSnapshot[]> {
    if (!ids.length) return [];
    const sql =
      'SELECT "id", "seller_id", "name", "price", "quantity", "category", "image_urls", ' +
      `"is_active" FROM "products" WHERE "id" IN (${placeholders(isPostgres(tx), ids.length)})`;
    const rows: SnapshotRow[] = await tx.query(sql, ids);
    return rows.map(toSnapshot);
  }

  /** Inserts a product and reads it back (with the database's defaults). */
  async insert(tx: Tx, row: QueryDeepPartialEntity<Product> & { id: string }): Promise<Product> {
    await tx.insert(Product, row);
    return tx.findOneByOrFail(Product, { id: row.id });
  }

  async update(tx: Tx, id: string, patch: QueryDeepPartialEntity<Product>): Promise<void> {
    await tx.update(Product, { id }, patch);
  }

  /** The product read again inside the transaction that changed it. */
  reload(tx: Tx, id: string): Promise<Product> {
    return tx.findOneByOrFail(Product, { id });
  }

  /**
   * Takes `quantity` units for a sale with one conditional statement (never below zero, safe
   * under any concurrency). False, changing nothing, when there are fewer or it is inactive.
   */
  async takeStock(tx: Tx, productId: string, quantity: number): Promise<boolean> {
    if (!tx.queryRunner) throw new Error('takeStock runs inside a transaction');
    const pg = isPostgres(tx);
    // fixed text (the hot path of every checkout line); the same statement the query builder
    // made, then the same AfterUpdate event it broadcast, so the catalog caches' EntityVersion
    // still sees the write and keeps nothing read while its transaction is open
    const sql = pg
      ? 'UPDATE "products" SET "quantity" = "quantity" - $1, "sold_count" = "sold_count" + $1, ' +
        '"updated_at" = CURRENT_TIMESTAMP WHERE "id" = $2 AND "quantity" >= $1 AND "is_active" = true'
      : 'UPDATE "products" SET "quantity" = "quantity" - ?, "sold_count" = "sold_count" + ?, ' +
        '"updated_at" = CURRENT_TIMESTAMP WHERE "id" = ? AND "quantity" >= ? AND "is_active" = 1 ' +
        'RETURNING "id"';
    const q = Number(quantity);
    // PostgreSQL answers an UPDATE with [rows, affected]; SQLite with the RETURNING rows
    // PostgreSQL: the checkout's held writes (none of them on products) go in the same round trip
    const res: unknown = pg
      ? await queryWithHeldWrites(tx, sql, [q, productId])
      : await tx.query(sql, [q, q, productId, q]);
    await tx.queryRunner.broadcaster.broadcast('AfterUpdate', tx.connection.getMetadata(Product));
    return (pg ? (res as [unknown[], number])[1] : (res as unknown[]).length) === 1;
  }

  /** Puts `quantity` units back and takes them off the sold count (never below zero). */
  async returnStock(tx: Tx, productId: string, quantity: number): Promise<void> {
    const q = Number(quantity);
    await tx
      .createQueryBuilder()
      .update(Product)
      .set({
        quantity: () => `quantity + ${q}`,
        soldCount: () => `CASE WHEN sold_count >= ${q} THEN sold_count - ${q} ELSE 0 END`,
      })
      .where('id = :id', { id: productId })
      .execute();
  }

  /** The stored quantity (null when there is no such product). */
  async quantityOf(tx: Tx, productId: string): Promise<number | null> {
    const row = await tx.findOne(Product, {
      where: { id: productId },
      select: { id: true, quantity: true },
    });
    return row ? row.quantity : null;
  }

  /** Adds `delta` (negative: removes) to the stored quantity. */
  async addToQuantity(tx: Tx, productId: string, delta: number): Promise<void> {
    const d = Number(delta);
    await tx
      .createQueryBuilder()
      .update(Product)
      .set({ quantity: () => `quantity + ${d}` })
      .where('id = :id', { id: productId })
      .execute();
  }

  /** Adds reviews to (or removes them from) a product's rating, atomically. */
  async applyReviewDelta(
    tx: Tx,
    productId: string,
    countDelta: number,
    sumDelta: number,
  ): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(Product)
      .set(ratingCounterSet(countDelta, sumDelta))
      .where('id = :id', { id: productId })
      .execute();
  }

  /** Appends to the stock ledger (no read-back). */
  async addMovement(tx: Tx, row: QueryDeepPartialEntity<StockMovement>): Promise<void> {
    await insertRows(tx, StockMovement, row);
  }

  /** Appends many rows to the stock ledger in one statement (no read-back, no query building). */
  async addMovements(tx: Tx, rows: MovementRow[]): Promise<void> {
    await insertValues(tx, 'stock_movements', MOVEMENT_COLUMNS, rows);
  }

  /** A product's stock ledger, newest first, and its length. */
  movementsPage(productId: string, skip: number, take: number): Promise<[StockMovement[], number]> {
    return this.ds.getRepository(StockMovement).findAndCount({
      where: { productId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take,
    });
  }

  /**
   * Products newest first, inactive included (the seller and admin panels): one seller's when
   * `sellerId` is given, else every product.
   */
  allPage(sellerId: string | undefined, skip: number, take: number): Promise<[Product[], number]> {
    return this.ds.getRepository(Product).findAndCount({
      where: sellerId ? { sellerId } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      skip,
      take,
    });
  }

  /** A seller's active products with at most `threshold` units left, scarcest first. */
  lowStock(sellerId: string, threshold: number, limit: number): Promise<Product[]> {
    return this.ds.getRepository(Product).find({
      where: { sellerId, isActive: true, quantity: LessThanOrEqual(threshold) },
      order: { quantity: 'ASC', name: 'ASC', id: 'ASC' },
      take: limit,
    });
  }

  /** How many active products a seller has (the public shop page): its counters, one statement. */
  activeCountOf(sellerId: string): Promise<number> {
    return this.sumCounts(this.counts().where('c.seller_id = :sellerId', { sellerId }));
  }

  /**
   * How many active products match the filter (one statement): without a search, price or stock
   * condition from `product_counts` (a row per seller and category, whatever the catalog's size),
   * else a COUNT over the products' indexes.
   */
  async countCatalog(f: CatalogFilter): Promise<number> {
    if (countedPerCategory(f)) {
      const qb = this.counts().where('1 = 1');
      if (f.category) qb.andWhere('c.category = :category', { category: f.category });
      if (f.sellerId) qb.andWhere('c.seller_id = :sellerId', { sellerId: f.sellerId });
      this.sellersOnly(qb, f.sellers, 'c');
      return this.sumCounts(qb);
    }
    const row = await this.catalog(f).select('COUNT(*)', 'n').getRawOne<{ n: number | string }>();
    return Number(row?.n ?? 0);
  }

  /** The active products per seller and category (kept by triggers on `products`). */
  private counts(): SelectQueryBuilder<object> {
    return this.ds.createQueryBuilder().from('product_counts', 'c');
  }

  private async sumCounts(qb: SelectQueryBuilder<object>): Promise<number> {
    const row = await qb
      .select('COALESCE(SUM(c.active), 0)', 'n')
      .getRawOne<{ n: number | string }>();
    return Number(row?.n ?? 0);
  }

  /** A page of the public listing (one statement, over the `ix_products_active_*` indexes). */
  catalogPage(s: CatalogSlice): Promise<Product[]> {
    const qb = this.catalog(s.filter);
    if (s.order.relevance) {
      // name matches first, then the sort
      qb.orderBy(`CASE WHEN p.name_search LIKE :pattern ESCAPE '\\' THEN 0 ELSE 1 END`, 'ASC');
    }
    return qb
      .addOrderBy(SORT_PATHS[s.order.column], s.order.dir)
      .addOrderBy('p.id', s.order.dir)
      .offset(s.skip)
      .limit(s.take)
      .getMany();
  }

  /**
   * The active products a filter matches. Search uses the lower-cased columns, so it folds
   * Cyrillic case on SQLite too.
   */
  private catalog(f: CatalogFilter): SelectQueryBuilder<Product> {
    const qb = this.ds
      .getRepository(Product)
      .createQueryBuilder('p')
      .where('p.is_active = :active', { active: true });
    const { term } = f;
    if (term && this.ds.options.type !== 'postgres' && usesTrigramIndex(term)) {
      // SQLite: the FTS5 trigram index finds the same substrings as LIKE '%term%' without a scan;
      // its rowids are the products' search keys (migration ProductSearchKey)
      qb.andWhere(
        'p.search_key IN (SELECT rowid FROM products_fts WHERE products_fts MATCH :fts)',
        {
          fts: ftsPhrase(term),
          pattern: containsPattern(term),
        },
      );
    } else if (term) {
      qb.andWhere(`p.search_text LIKE :pattern ESCAPE '\\'`, { pattern: containsPattern(term) });
    }
    if (f.category) qb.andWhere('p.category = :category', { category: f.category });
    if (f.sellerId) qb.andWhere('p.seller_id = :sellerId', { sellerId: f.sellerId });
    if (f.minPrice !== undefined) qb.andWhere('p.price >= :minPrice', { minPrice: f.minPrice });
    if (f.maxPrice !== undefined) qb.andWhere('p.price <= :maxPrice', { maxPrice: f.maxPrice });
    if (f.inStock !== undefined) qb.andWhere(f.inStock ? 'p.quantity > 0' : 'p.quantity = 0');
    this.sellersOnly(qb, f.sellers);
    return qb;
  }

  /**
   * The hidden sellers' products left out: one condition on seller_id with the small set held in
   * memory (none at all when no seller is hidden), no join and no per-row lookup.
   */
  private sellersOnly<T extends object>(
    qb: SelectQueryBuilder<T>,
    f: SellerFilter | undefined,
    alias = 'p',
  ): void {
    if (!f || (f.kind === 'except' && !f.sellerIds.size)) return;
    if (f.kind === 'only' && !f.sellerIds.size) {
      qb.andWhere('1 = 0');
      return;
    }
    const op = f.kind === 'except' ? 'NOT IN' : 'IN';
    qb.andWhere(`${alias}.seller_id ${op} (:...visibleSellers)`, {
      visibleSellers: [...f.sellerIds],
    });
  }
}
