import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { toTiyn } from '../../common/money/money';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import { ProductListQuery, ProductSort } from './dto/product-query.dto';
import { ProductResponse, toProductResponse } from './dto/product.dto';
import { CatalogVersion } from './catalog-version';
import { Product } from './product.entity';

/** Lower-cases like the stored `name_search` / `search_text` columns (Unicode-aware, in JS). */
export const searchKey = (s: string) => s.toLowerCase();

/** A LIKE pattern that finds `term` literally anywhere (used with ESCAPE '\'). */
export function containsPattern(term: string): string {
  return `%${searchKey(term).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Sort column and direction; `id` in the same direction breaks ties (matches the indexes). */
const SORTS: Record<ProductSort, [string, 'ASC' | 'DESC']> = {
  price_asc: ['p.price', 'ASC'],
  price_desc: ['p.price', 'DESC'],
  newest: ['p.createdAt', 'DESC'],
  rating: ['p.rating', 'DESC'],
  popular: ['p.soldCount', 'DESC'],
};

/**
 * The public catalog listing: exactly two SQL statements whatever the page size (a COUNT and
 * the page), over the `ix_products_active_*` indexes (is_active first, then the sort column and
 * id). Search uses the lower-cased columns, so it folds Cyrillic case on SQLite too.
 */
const MAX_CACHED_COUNTS = 1000;

@Injectable()
export class ProductCatalogQuery {
  /** Listing totals by filter; dropped whenever the catalog version moves. */
  private readonly counts = new Map<string, { n: number; at: number; snap: string }>();

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly version: CatalogVersion,
  ) {}

  async page(q: ProductListQuery): Promise<Page<ProductResponse>> {
    if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
      throw new DomainError('BAD_REQUEST', 'min_price must not be greater than max_price');
    }
    const term = q.search?.trim() || undefined;
    const filtered = () => this.filtered(q, term);

    const total = await this.total(q, term, filtered);

    const qb = filtered();
    if (term && !q.sort) {
      // relevance: name matches first, then newest
      qb.orderBy(`CASE WHEN p.name_search LIKE :pattern ESCAPE '\\' THEN 0 ELSE 1 END`, 'ASC');
    }
    const [column, dir] = SORTS[q.sort ?? 'newest'];
    qb.addOrderBy(column, dir).addOrderBy('p.id', dir);
    const rows = await qb
      .offset(skipOf(q))
      .limit(q.page_size ?? 20)
      .getMany();
    return pageOf(rows.map(toProductResponse), total, q);
  }

  /**
   * The COUNT of a filter costs more than the page itself on a large catalog (it visits every
   * match); it is reused until the catalog version moves (see CatalogVersion).
   */
  private async total(
    q: ProductListQuery,
    term: string | undefined,
    filtered: () => SelectQueryBuilder<Product>,
  ): Promise<number> {
    const key = JSON.stringify([
      term,
      q.category,
      q.seller_id,
      q.min_price,
      q.max_price,
      q.in_stock,
    ]);
    const now = Date.now();
    const snap = this.version.snapshot();
    const hit = this.counts.get(key);
    if (hit && hit.snap === snap && now - hit.at < this.version.maxAgeMs) return hit.n;
    const row = await filtered().select('COUNT(*)', 'n').getRawOne<{ n: number | string }>();
    const n = Number(row?.n ?? 0);
    if (snap === null || this.version.snapshot() !== snap) return n; // a write came between
    if (this.counts.size >= MAX_CACHED_COUNTS) this.counts.clear();
    this.counts.set(key, { n, at: now, snap });
    return n;
  }

  private filtered(q: ProductListQuery, term?: string): SelectQueryBuilder<Product> {
    const qb = this.ds
      .getRepository(Product)
      .createQueryBuilder('p')
      .where('p.is_active = :active', { active: true });
    if (term && this.ds.options.type !== 'postgres' && [...term].length >= 3) {
      // SQLite: the FTS5 trigram index finds the same substrings as LIKE '%term%' without a scan
      // (a quoted FTS string is literal: % and _ stay characters)
      qb.andWhere('p.id IN (SELECT id FROM products_fts WHERE products_fts MATCH :fts)', {
        fts: `"${searchKey(term).replace(/"/g, '""')}"`,
        pattern: containsPattern(term),
      });
    } else if (term) {
      qb.andWhere(`p.search_text LIKE :pattern ESCAPE '\\'`, { pattern: containsPattern(term) });
    }
    if (q.category) qb.andWhere('p.category = :category', { category: q.category });
    if (q.seller_id) qb.andWhere('p.seller_id = :sellerId', { sellerId: q.seller_id });
    if (q.min_price !== undefined) {
      qb.andWhere('p.price >= :minPrice', { minPrice: toTiyn(q.min_price) });
    }
    if (q.max_price !== undefined) {
      qb.andWhere('p.price <= :maxPrice', { maxPrice: toTiyn(q.max_price) });
    }
    if (q.in_stock !== undefined) {
      qb.andWhere(q.in_stock ? 'p.quantity > 0' : 'p.quantity = 0');
    }
    return qb;
  }
}
