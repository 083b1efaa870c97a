import { ProductListQuery } from './dto/product-query.dto';
import {
  catalogSlice,
  containsPattern,
  countedPerCategory,
  ftsPhrase,
  searchKey,
  totalKey,
} from './product-catalog.query';
import { searchColumns } from './products.service';

const query = (q: Partial<ProductListQuery>) => Object.assign(new ProductListQuery(), q);

describe('catalog search keys', () => {
  it('lower-cases Cyrillic (and Kazakh) letters, which SQLite lower() does not', () => {
    expect(searchKey('КРОССОВКИ Nike')).toBe('кроссовки nike');
    expect(searchKey('ҚАЗАҚСТАН Ёлка')).toBe('қазақстан ёлка');
  });

  it('escapes the LIKE wildcards and the escape character itself', () => {
    expect(containsPattern('100%')).toBe('%100\\%%');
    expect(containsPattern('snake_case')).toBe('%snake\\_case%');
    expect(containsPattern('C:\\Temp')).toBe('%c:\\\\temp%');
    expect(containsPattern('Кроссовки')).toBe('%кроссовки%');
  });

  it('quotes a full-text term literally', () => {
    expect(ftsPhrase('Say "Hi"')).toBe('"say ""hi"""');
  });

  it('builds both search columns from name and description', () => {
    expect(searchColumns('Чайник BOSCH', 'Электрический, 1.7 Л')).toEqual({
      nameSearch: 'чайник bosch',
      searchText: 'чайник bosch электрический, 1.7 л',
    });
  });
});

describe('catalogSlice', () => {
  it('refuses min_price above max_price', () => {
    expect(() => catalogSlice(query({ min_price: 10, max_price: 9.99 }))).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
    expect(() => catalogSlice(query({ min_price: 10, max_price: 10 }))).not.toThrow();
  });

  it('filters in tiyn, with the trimmed term', () => {
    const s = catalogSlice(query({ search: '  чайник ', min_price: 0.5, max_price: 1200.25 }));
    expect(s.filter).toMatchObject({ term: 'чайник', minPrice: 50, maxPrice: 120025 });
    expect(catalogSlice(query({ search: '   ' })).filter.term).toBeUndefined();
  });

  it('orders by relevance only when searching without a sort; newest by default', () => {
    expect(catalogSlice(query({ search: 'чай' })).order).toEqual({
      relevance: true,
      column: 'createdAt',
      dir: 'DESC',
    });
    expect(catalogSlice(query({ search: 'чай', sort: 'price_asc' })).order).toEqual({
      relevance: false,
      column: 'price',
      dir: 'ASC',
    });
    expect(catalogSlice(query({})).order.relevance).toBe(false);
  });

  it('pages by page and page_size', () => {
    expect(catalogSlice(query({ page: 3, page_size: 50 }))).toMatchObject({ skip: 100, take: 50 });
    expect(catalogSlice(query({}))).toMatchObject({ skip: 0, take: 20 });
  });

  it('keys a total by the filter alone, not the order or page', () => {
    const a = catalogSlice(query({ category: 'books', page: 1, sort: 'rating' }));
    const b = catalogSlice(query({ category: 'books', page: 7, sort: 'newest' }));
    const c = catalogSlice(query({ category: 'toys' }));
    expect(totalKey(a.filter)).toBe(totalKey(b.filter));
    expect(totalKey(a.filter)).not.toBe(totalKey(c.filter));
  });
});

describe('totals from the per-category counters', () => {
  const filter = (q: Partial<ProductListQuery>) => catalogSlice(query(q)).filter;

  it('answer the listing, a category, a seller and any sort', () => {
    expect(countedPerCategory(filter({}))).toBe(true);
    expect(countedPerCategory(filter({ category: 'books', sort: 'price_asc', page: 3 }))).toBe(
      true,
    );
    expect(countedPerCategory(filter({ seller_id: '9b2f0c55-3f07-4bde-a3d4-7ffb0c1c3a11' }))).toBe(
      true,
    );
    expect(countedPerCategory(filter({ search: '   ' }))).toBe(true); // a blank search is none
  });

  it('not a search, a price bound or a stock filter (those count the matching products)', () => {
    expect(countedPerCategory(filter({ search: 'смартфон' }))).toBe(false);
    expect(countedPerCategory(filter({ min_price: 0 }))).toBe(false);
    expect(countedPerCategory(filter({ max_price: 100 }))).toBe(false);
    expect(countedPerCategory(filter({ in_stock: false }))).toBe(false);
  });
});
