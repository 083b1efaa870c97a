import { DomainError } from '../../common/errors/domain-error';
import { toTiyn } from '../../common/money/money';
import { skipOf } from '../../common/pagination/pagination';
import { ProductListQuery, ProductSort } from './dto/product-query.dto';
import type { ProductCategory } from './product-shape';
import type { SellerFilter } from './seller-visibility';

/**
 * The public catalog listing as data: what `ProductsRepository.countCatalog` / `catalogPage`
 * run (the total — a SUM over `product_counts` when `countedPerCategory`, else a COUNT — and the
 * page, over the `ix_products_active_*` indexes: is_active first, then the sort column and id). Pure functions, so the rules are tested without a database.
 */

/** Lower-cases like the stored `name_search` / `search_text` columns (Unicode-aware, in JS). */
export const searchKey = (s: string) => s.toLowerCase();

/** A LIKE pattern that finds `term` literally anywhere (used with ESCAPE '\'). */
export function containsPattern(term: string): string {
  return `%${searchKey(term).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A quoted FTS5 string: literal, so % and _ stay characters. */
export const ftsPhrase = (term: string) => `"${searchKey(term).replace(/"/g, '""')}"`;

/** Which active products a listing shows (prices in tiyn). */
export interface CatalogFilter {
  /** The trimmed search term, if any. */
  term?: string;
  category?: ProductCategory;
  sellerId?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  /** Whose products may be listed (SellerVisibility); absent: every seller's. */
  sellers?: SellerFilter;
}

export type SortColumn = 'price' | 'createdAt' | 'rating' | 'soldCount';

/** The order of a page: name matches first when searching without a sort, then column and id. */
export interface CatalogOrder {
  relevance: boolean;
  column: SortColumn;
  dir: 'ASC' | 'DESC';
}

/** A page of a filtered listing, in its order. */
export interface CatalogSlice {
  filter: CatalogFilter;
  order: CatalogOrder;
  skip: number;
  take: number;
}

/** Sort column and direction; `id` in the same direction breaks ties (matches the indexes). */
const SORTS: Record<ProductSort, [SortColumn, 'ASC' | 'DESC']> = {
  price_asc: ['price', 'ASC'],
  price_desc: ['price', 'DESC'],
  newest: ['createdAt', 'DESC'],
  rating: ['rating', 'DESC'],
  popular: ['soldCount', 'DESC'],
};

/** The listing a query asks for; min_price > max_price is a 400. */
export function catalogSlice(q: ProductListQuery): CatalogSlice {
  if (q.min_price !== undefined && q.max_price !== undefined && q.min_price > q.max_price) {
    throw new DomainError('BAD_REQUEST', 'min_price must not be greater than max_price');
  }
  const term = q.search?.trim() || undefined;
  const [column, dir] = SORTS[q.sort ?? 'newest'];
  return {
    filter: {
      term,
      category: q.category,
      sellerId: q.seller_id,
      minPrice: q.min_price === undefined ? undefined : toTiyn(q.min_price),
      maxPrice: q.max_price === undefined ? undefined : toTiyn(q.max_price),
      inStock: q.in_stock,
    },
    order: { relevance: !!term && !q.sort, column, dir },
    skip: skipOf(q),
    take: q.page_size ?? 20,
  };
}

/**
 * The key of a filter's total (the same matches whatever the order and page). The sellers'
 * filter is not in it: CatalogTotals compares its set by identity.
 */
export const totalKey = (f: CatalogFilter) =>
  JSON.stringify([f.term, f.category, f.sellerId, f.minPrice, f.maxPrice, f.inStock]);

/** SQLite finds terms of 3 characters or more through the FTS5 trigram index, not a scan. */
export const usesTrigramIndex = (term: string) => [...term].length >= 3;

/**
 * A filter whose total the `product_counts` table answers (active products per seller and
 * category, kept by triggers): no search, price or stock condition.
 */
export const countedPerCategory = (f: CatalogFilter): boolean =>
  !f.term && f.minPrice === undefined && f.maxPrice === undefined && f.inStock === undefined;
