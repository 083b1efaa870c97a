import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { CatalogProduct, insertCatalogProduct } from '../factories/catalog';
import { Actor, makeUser } from '../factories/users';

interface Item {
  id: string;
  name: string;
  price: number;
  quantity: number;
  category: string;
  seller_id: string;
  rating: number;
  created_at: string;
  is_active: boolean;
}

describe('products listing (e2e)', () => {
  let t: TestApp;
  let sellerA: Actor;
  let sellerB: Actor;
  const byName: Record<string, Product> = {};
  let all: Product[] = [];

  const api = '/api/v1/products';
  const list = (query: Record<string, string | number | boolean> = {}) =>
    t.http.get(api).query({ page_size: 100, ...query });
  const names = (body: { items: Item[] }) => body.items.map((i) => i.name);
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 10, minutes, 0, 0));

  beforeAll(async () => {
    t = await createTestApp();
    sellerA = await makeUser(t.http, 'seller');
    sellerB = await makeUser(t.http, 'seller');
    const a: CatalogProduct[] = [
      {
        name: 'Кроссовки Nike',
        description: 'беговые',
        price: 45000,
        quantity: 3,
        category: 'sports',
        soldCount: 10,
        reviews: [9, 2],
        createdAt: at(1),
      },
      {
        name: 'Футболка',
        description: 'хлопок, подходит под кроссовки',
        price: 5000,
        quantity: 0,
        category: 'clothing',
        soldCount: 50,
        reviews: [3, 1],
        createdAt: at(2),
      },
      {
        name: 'КРОССОВКИ детские',
        description: 'для бега',
        price: 15000.5,
        quantity: 10,
        category: 'sports',
        soldCount: 10,
        reviews: [9, 2],
        createdAt: at(3),
      },
      {
        name: '100% хлопок носки',
        description: 'носки',
        price: 1000,
        quantity: 20,
        category: 'clothing',
        createdAt: at(4),
      },
      {
        name: 'Кроссовки старые',
        description: 'сняты с продажи',
        price: 100,
        quantity: 5,
        category: 'sports',
        isActive: false,
        createdAt: at(30),
      },
    ];
    const b: CatalogProduct[] = [
      {
        name: 'Книга snake_case',
        description: 'про программирование',
        price: 8000,
        quantity: 7,
        category: 'books',
        soldCount: 5,
        reviews: [5, 1],
        createdAt: at(5),
      },
      {
        name: 'Книга snakeXcase',
        description: 'путь C:\\temp',
        price: 8000,
        quantity: 7,
        category: 'books',
        createdAt: at(5),
      },
    ];
    for (const o of a) byName[o.name] = await insertCatalogProduct(t.ds, sellerA.id, o);
    for (const o of b) byName[o.name] = await insertCatalogProduct(t.ds, sellerB.id, o);
    for (let i = 1; i <= 20; i++) {
      const name = `Товар для дома ${i}`;
      byName[name] = await insertCatalogProduct(t.ds, sellerA.id, {
        name,
        description: 'полезная вещь',
        price: 2000 + i,
        quantity: i,
        category: 'home',
        soldCount: i % 3,
        reviews: i % 4 ? [i % 5, 1] : [0, 0],
        createdAt: at(10 + (i % 5)), // many equal timestamps: the id decides
      });
    }
    all = Object.values(byName).filter((p) => p.isActive);
    expect(all).toHaveLength(26);
  });
  afterAll(() => t.close());

  /** The order the contract promises: the sort key, then id in the same direction. */
  const expected = (
    products: Product[],
    key: (p: Product) => number,
    dir: 'asc' | 'desc',
  ): string[] => {
    const s = dir === 'asc' ? 1 : -1;
    return [...products]
      .sort((x, y) => s * (key(x) - key(y)) || s * (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .map((p) => p.name);
  };
  const time = (p: Product) => new Date(p.createdAt).getTime();

  describe('page envelope and edges', () => {
    it('defaults to page 1 of 20, newest first, active products only', async () => {
      const res = await t.http.get(api);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 26, page: 1, page_size: 20, pages: 2 });
      expect(res.body.items).toHaveLength(20);
      expect(names(res.body)).toEqual(expected(all, time, 'desc').slice(0, 20));
      expect(res.body.items.every((i: Item) => i.is_active)).toBe(true);
      expect(names(res.body)).not.toContain('Кроссовки старые');
      expect(Object.keys(res.body.items[0]).sort()).toEqual(
        [
          'id',
          'seller_id',
          'name',
          'description',
          'price',
          'quantity',
          'category',
          'image_urls',
          'is_active',
          'rating',
          'review_count',
          'created_at',
          'updated_at',
        ].sort(),
      );
    });

    it('serves the last page partly filled and a page beyond the last empty, with the right total', async () => {
      const last = await t.http.get(api).query({ page: 3, page_size: 10 });
      expect(last.status).toBe(200);
      expect(last.body).toMatchObject({ total: 26, page: 3, page_size: 10, pages: 3 });
      expect(last.body.items).toHaveLength(6);
      const beyond = await t.http.get(api).query({ page: 4, page_size: 10 });
      expect(beyond.status).toBe(200);
      expect(beyond.body).toEqual({ items: [], total: 26, page: 4, page_size: 10, pages: 3 });
      const far = await t.http.get(api).query({ page: 1000, page_size: 10 });
      expect(far.body).toMatchObject({ items: [], total: 26, pages: 3 });
    });

    it('accepts page_size 100 and refuses 101, 0, page 0 and non-numbers (400)', async () => {
      const res = await t.http.get(api).query({ page_size: 100 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 26, page_size: 100, pages: 1 });
      expect(res.body.items).toHaveLength(26);
      for (const q of [
        { page_size: 101 },
        { page_size: 0 },
        { page: 0 },
        { page: -1 },
        { page: 'two' },
        { page_size: 2.5 },
      ]) {
        const bad = await t.http.get(api).query(q);
        expect([JSON.stringify(q), bad.status]).toEqual([JSON.stringify(q), 400]);
      }
    });

    it.each(['newest', 'price_asc', 'price_desc', 'rating', 'popular'])(
      'walks every page of sort=%s without repeating or skipping a product',
      async (sort) => {
        const seen: string[] = [];
        for (let page = 1; page <= 7; page++) {
          const res = await t.http.get(api).query({ sort, page, page_size: 4 });
          expect(res.status).toBe(200);
          expect(res.body.pages).toBe(7);
          seen.push(...res.body.items.map((i: Item) => i.id));
        }
        expect(seen).toHaveLength(26);
        expect(new Set(seen).size).toBe(26);
        const whole = await list({ sort });
        expect(seen).toEqual(whole.body.items.map((i: Item) => i.id));
      },
    );
  });

  describe('sorts', () => {
    it('newest: created_at descending, ties by id', async () => {
      const res = await list({ sort: 'newest' });
      expect(names(res.body)).toEqual(expected(all, time, 'desc'));
      expect(names(res.body).slice(-4)).toEqual([
        '100% хлопок носки',
        'КРОССОВКИ детские',
        'Футболка',
        'Кроссовки Nike',
      ]);
    });

    it('price_asc and price_desc: by price, ties by id', async () => {
      const asc = await list({ sort: 'price_asc' });
      expect(names(asc.body)).toEqual(expected(all, (p) => p.price, 'asc'));
      expect(names(asc.body)[0]).toBe('100% хлопок носки');
      const prices = asc.body.items.map((i: Item) => i.price);
      expect(prices).toEqual([...prices].sort((x, y) => x - y));
      const desc = await list({ sort: 'price_desc' });
      expect(names(desc.body)).toEqual(expected(all, (p) => p.price, 'desc'));
      expect(names(desc.body).slice(0, 2)).toEqual(['Кроссовки Nike', 'КРОССОВКИ детские']);
      // the two 8000 books are adjacent, in id order (descending here)
      const books = names(desc.body).filter((n) => n.startsWith('Книга'));
      const [b1, b2] = [byName['Книга snake_case'], byName['Книга snakeXcase']];
      expect(books).toEqual(b1.id > b2.id ? [b1.name, b2.name] : [b2.name, b1.name]);
    });

    it('rating: average review descending, ties by id', async () => {
      const res = await list({ sort: 'rating' });
      expect(names(res.body)).toEqual(
        expected(all, (p) => (p.reviewCount ? p.ratingSum / p.reviewCount : 0), 'desc'),
      );
      expect(names(res.body)[0]).toBe('Книга snake_case');
      const ratings = res.body.items.map((i: Item) => i.rating);
      expect(ratings).toEqual([...ratings].sort((x, y) => y - x));
    });

    it('popular: units sold descending, ties by id', async () => {
      const res = await list({ sort: 'popular' });
      expect(names(res.body)).toEqual(expected(all, (p) => p.soldCount, 'desc'));
      expect(names(res.body)[0]).toBe('Футболка');
    });

    it('refuses an unknown sort (400)', async () => {
      expect((await list({ sort: 'cheapest' })).status).toBe(400);
      expect((await t.http.get(`${api}?sort=newest&sort=rating`)).status).toBe(400);
    });
  });

  describe('search', () => {
    it('is case-insensitive for Cyrillic: "кроссовки" finds "Кроссовки" and "КРОССОВКИ"', async () => {
      for (const search of ['кроссовки', 'КРОССОВКИ', 'КрОсСоВкИ']) {
        const res = await list({ search });
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(3);
        expect(names(res.body)).toEqual(['КРОССОВКИ детские', 'Кроссовки Nike', 'Футболка']);
      }
    });

    it('ranks name matches above description-only matches when no sort is given', async () => {
      // "Футболка" is the newest of the three, yet it only matches by description
      const res = await list({ search: 'кроссовки' });
      expect(names(res.body).at(-1)).toBe('Футболка');
      expect(new Date(byName['Футболка'].createdAt).getTime()).toBeGreaterThan(
        new Date(byName['Кроссовки Nike'].createdAt).getTime(),
      );
      const hl = await list({ search: 'хлопок' }); // a name match and a description match
      expect(names(hl.body)).toEqual(['100% хлопок носки', 'Футболка']);
    });

    it('follows an explicit sort instead of the relevance order', async () => {
      const res = await list({ search: 'кроссовки', sort: 'price_asc' });
      expect(names(res.body)).toEqual(['Футболка', 'КРОССОВКИ детские', 'Кроссовки Nike']);
    });

    it('finds Latin words case-insensitively and matches substrings of the description', async () => {
      expect(names((await list({ search: 'NIKE' })).body)).toEqual(['Кроссовки Nike']);
      expect(names((await list({ search: 'беговые' })).body)).toEqual(['Кроссовки Nike']);
    });

    it('treats % and _ as literal characters', async () => {
      expect(names((await list({ search: '100%' })).body)).toEqual(['100% хлопок носки']);
      expect(names((await list({ search: '%' })).body)).toEqual(['100% хлопок носки']);
      expect(names((await list({ search: 'snake_case' })).body)).toEqual(['Книга snake_case']);
      expect(names((await list({ search: '_' })).body)).toEqual(['Книга snake_case']);
      expect((await list({ search: '%%%' })).body.total).toBe(0);
    });

    it('treats a backslash literally too', async () => {
      const res = await list({ search: 'c:\\temp' });
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['Книга snakeXcase']);
      expect((await list({ search: '\\' })).body.total).toBe(1);
    });

    it('never shows inactive products, and combines with the filters', async () => {
      const res = await list({ search: 'старые' });
      expect(res.body).toMatchObject({ items: [], total: 0 });
      const sports = await list({ search: 'кроссовки', category: 'sports' });
      expect(names(sports.body)).toEqual(['КРОССОВКИ детские', 'Кроссовки Nike']);
    });

    it('treats a blank search as none and refuses one over 200 characters', async () => {
      expect((await list({ search: '   ' })).body.total).toBe(26);
      expect((await list({ search: 'а'.repeat(201) })).status).toBe(400);
    });
  });

  describe('filters', () => {
    it('category', async () => {
      expect(names((await list({ category: 'sports', sort: 'price_asc' })).body)).toEqual([
        'КРОССОВКИ детские',
        'Кроссовки Nike',
      ]);
      expect((await list({ category: 'home' })).body.total).toBe(20);
      expect((await list({ category: 'toys' })).body).toMatchObject({ items: [], total: 0 });
      expect((await list({ category: 'weapons' })).status).toBe(400);
    });

    it('price range, inclusive at both ends, in KZT with decimals', async () => {
      const mid = await list({ min_price: 5000, max_price: 15000.5, sort: 'price_asc' });
      expect(names(mid.body)).toEqual(
        expected(
          all.filter((p) => p.price >= 500000 && p.price <= 1500050),
          (p) => p.price,
          'asc',
        ),
      );
      expect(names(mid.body)[0]).toBe('Футболка');
      expect(names(mid.body).at(-1)).toBe('КРОССОВКИ детские');
      expect(mid.body.total).toBe(4);
      const above = await list({ min_price: 15000.5, sort: 'price_asc' });
      expect(names(above.body)).toEqual(['КРОССОВКИ детские', 'Кроссовки Nike']);
      const justAbove = await list({ min_price: 15000.51 });
      expect(names(justAbove.body)).toEqual(['Кроссовки Nike']);
      const cheap = await list({ max_price: 1000 });
      expect(names(cheap.body)).toEqual(['100% хлопок носки']); // the 100 KZT one is inactive
      const exact = await list({ min_price: 2005, max_price: 2005 });
      expect(names(exact.body)).toEqual(['Товар для дома 5']);
    });

    it.each([
      ['min_price above max_price', { min_price: 10, max_price: 5 }],
      ['negative min_price', { min_price: -1 }],
      ['non-numeric max_price', { max_price: 'abc' }],
      ['empty min_price', { min_price: '' }],
      ['3 decimals', { min_price: 1.234 }],
      ['above the price cap', { max_price: 100_000_001 }],
    ])('refuses %s (400)', async (_, q) => {
      const res = await list(q as Record<string, string | number>);
      expect(res.status).toBe(400);
      expect(res.body.statusCode).toBe(400);
    });

    it('seller_id', async () => {
      const res = await list({ seller_id: sellerB.id, sort: 'newest' });
      expect(res.body.total).toBe(2);
      expect(res.body.items.every((i: Item) => i.seller_id === sellerB.id)).toBe(true);
      expect((await list({ seller_id: sellerA.id })).body.total).toBe(24);
      expect((await list({ seller_id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })).body.total).toBe(
        0,
      );
      expect((await list({ seller_id: 'not-a-uuid' })).status).toBe(400);
    });

    it('in_stock', async () => {
      const inStock = await list({ in_stock: true });
      expect(inStock.body.total).toBe(25);
      expect(names(inStock.body)).not.toContain('Футболка');
      expect(inStock.body.items.every((i: Item) => i.quantity > 0)).toBe(true);
      expect(names((await list({ in_stock: false })).body)).toEqual(['Футболка']);
      expect((await list({ in_stock: 'maybe' })).status).toBe(400);
    });

    it('combines filters with AND', async () => {
      const res = await list({
        category: 'clothing',
        in_stock: true,
        max_price: 5000,
        seller_id: sellerA.id,
      });
      expect(names(res.body)).toEqual(['100% хлопок носки']);
    });

    it('refuses unknown query parameters (400)', async () => {
      expect((await list({ color: 'red' })).status).toBe(400);
    });
  });
});
