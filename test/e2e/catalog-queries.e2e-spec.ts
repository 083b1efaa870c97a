import { CatalogVersion } from '../../src/modules/products/catalog-cache/catalog-version';
import { createTestApp, TestApp } from '../create-test-app';
import { insertCatalogProduct } from '../factories/catalog';
import { Actor, makeUser } from '../factories/users';

/**
 * Pins how many SQL statements the catalog issues (in the spirit of Saleor's `count_queries`):
 * a listing or a search is a COUNT and a page, a product read is one statement, whatever the
 * page size. An N+1 shows up here as a count that grows with the page.
 */
describe('catalog query counts (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  let customer: Actor;
  let productId: string;
  let recorded: string[] | null = null;

  /**
   * The statements a request issues, as the driver sent them. Listing totals are cached until
   * the catalog changes: `fresh` (the default) moves the catalog version first, so the request
   * counts as the first after a write.
   */
  const statementsOf = async (
    send: () => Promise<{ status: number }>,
    status = 200,
    fresh = true,
  ) => {
    if (fresh) t.app.get(CatalogVersion).bump();
    recorded = [];
    try {
      const res = await send();
      expect(res.status).toBe(status);
      return recorded;
    } finally {
      recorded = null;
    }
  };

  beforeAll(async () => {
    // the mail outbox poller and the payment recovery sweep query on timers: keep them out of
    // the way (a sweep inside a request's window was counted as the request's)
    t = await createTestApp({ MAIL_POLL_MS: '600000', PAYMENT_RECOVERY_MS: '3600000' });
    seller = await makeUser(t.http, 'seller');
    customer = await makeUser(t.http, 'customer');
    for (let i = 0; i < 120; i++) {
      const p = await insertCatalogProduct(t.ds, seller.id, {
        name: i % 2 ? `Кроссовки модель ${i}` : `Куртка ${i}`,
        description: i % 3 ? 'для бега и прогулок' : 'тёплая, не кроссовки',
        price: 1000 + i,
        category: i % 2 ? 'sports' : 'clothing',
        soldCount: i % 7,
        reviews: [i % 5, 1],
      });
      productId = p.id;
      if (i < 110) {
        await t.http
          .post('/api/v1/wishlist/items')
          .set(customer.auth)
          .send({ product_id: p.id })
          .expect(201);
      }
    }
    // every statement the driver runs passes through the DataSource's logger
    const logger = t.ds.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (query, parameters, runner) => {
      if (!/mail_outbox/.test(query)) recorded?.push(query); // the outbox sender's own timer
      return original(query, parameters, runner);
    };
  });
  afterAll(() => t.close());

  const api = '/api/v1/products';

  it.each([5, 100])('a listing is 2 statements (count + page) at page_size %i', async (size) => {
    const sql = await statementsOf(() => t.http.get(api).query({ page_size: size }));
    expect(sql).toHaveLength(2);
    // the total from the per-seller, per-category counters, not a COUNT over every product
    expect(sql[0]).toMatch(/SUM\("?c"?\."?active"?\).*FROM "?product_counts"?/i);
    expect(sql[0]).not.toMatch(/COUNT\(\*\)/i);
    expect(sql.join('\n')).not.toMatch(/\bJOIN\b/i);
  });

  it('a price, stock or search filter counts the matching products instead', async () => {
    const sql = await statementsOf(() =>
      t.http.get(api).query({ category: 'sports', in_stock: true }),
    );
    expect(sql).toHaveLength(2);
    expect(sql[0]).toMatch(/COUNT\(\*\)/i);
  });

  it.each([5, 100])(
    'a filtered, sorted listing deep in the pages is 2 statements at page_size %i',
    async (size) => {
      const sql = await statementsOf(() =>
        t.http.get(api).query({
          page_size: size,
          page: 2,
          category: 'sports',
          min_price: 1000,
          max_price: 5000,
          in_stock: true,
          seller_id: seller.id,
          sort: 'popular',
        }),
      );
      expect(sql).toHaveLength(2);
    },
  );

  it.each([5, 100])('a search is 2 statements at page_size %i', async (size) => {
    let body: { items: unknown[]; total: number } = { items: [], total: 0 };
    const sql = await statementsOf(async () => {
      const res = await t.http.get(api).query({ page_size: size, search: 'КРОССОВКИ' });
      body = res.body;
      return res;
    });
    expect(sql).toHaveLength(2);
    expect(body.items.length).toBe(Math.min(size, body.total));
    expect(body.total).toBeGreaterThan(60);
    if (t.db === 'sqlite') {
      // the trigram full-text index answers the search, not a scan of every product
      const plan: { detail: string }[] = await t.ds.query(`EXPLAIN QUERY PLAN ${sql[0]}`, [
        1,
        '"кроссовки"',
      ]);
      expect(plan.map((r) => r.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
    }
  });

  it('serves a repeated listing from memory and reuses its total for other pages, until the catalog changes', async () => {
    const query = { page_size: 5, category: 'sports' };
    const first = await statementsOf(() => t.http.get(api).query(query));
    expect(first).toHaveLength(2);
    let total = 0;
    const repeated = await statementsOf(
      async () => {
        const res = await t.http.get(api).query(query);
        expect(res.headers['x-cache']).toBe('hit');
        total = res.body.total;
        return res;
      },
      200,
      false,
    );
    expect(repeated).toHaveLength(0); // the whole answer came from the cache
    const page2 = await statementsOf(
      () => t.http.get(api).query({ ...query, page: 2 }),
      200,
      false,
    );
    expect(page2).toHaveLength(1); // the page only: the COUNT came from the cache
    expect(page2[0]).not.toMatch(/COUNT\(\*\)/i);
    const created = await t.http
      .post(api)
      .set(seller.auth)
      .send({ name: 'Мяч', description: '', price: 10, quantity: 1, category: 'sports' });
    expect(created.status).toBe(201);
    let after = 0;
    const recount = await statementsOf(
      async () => {
        const res = await t.http.get(api).query(query);
        expect(res.headers['x-cache']).toBe('miss');
        after = res.body.total;
        return res;
      },
      200,
      false,
    );
    expect(recount).toHaveLength(2);
    expect(after).toBe(total + 1);
  });

  it('a product read is 1 statement', async () => {
    const sql = await statementsOf(() => t.http.get(`${api}/${productId}`));
    expect(sql).toHaveLength(1);
  });

  it('a wishlist of 110 products is read with 2 statements (its lines, then their products), plus the caller lookup', async () => {
    let body: { items: unknown[]; total: number } = { items: [], total: 0 };
    const sql = await statementsOf(async () => {
      const res = await t.http.get('/api/v1/wishlist').set(customer.auth);
      body = res.body;
      return res;
    });
    expect(body.total).toBe(110);
    const wishlist = sql.filter((q) => /wishlist_items/.test(q));
    expect(wishlist).toHaveLength(1);
    // the wishlist module asks the products module for all of them at once, never one per line
    const products = sql.filter((q) => /products/.test(q) && !/wishlist_items/.test(q));
    expect(products).toHaveLength(1);
    expect(products[0]).toMatch(/\bIN\b/);
  });

  it.each(['newest', 'price_asc', 'price_desc', 'rating', 'popular'])(
    'the page of sort=%s walks an is_active index in order (no sort step on SQLite)',
    async (sort) => {
      const sql = await statementsOf(() => t.http.get(api).query({ sort, page: 3 }));
      const page = sql[1];
      if (t.db === 'sqlite') {
        const plan: { detail: string }[] = await t.ds.query(`EXPLAIN QUERY PLAN ${page}`, [1]);
        const details = plan.map((r) => r.detail).join('\n');
        expect(details).toMatch(/USING INDEX ix_products_active_/);
        expect(details).not.toMatch(/TEMP B-TREE/);
      } else {
        const rows: { indexname: string }[] = await t.ds.query(
          "SELECT indexname FROM pg_indexes WHERE tablename = 'products'",
        );
        const names = rows.map((r) => r.indexname);
        expect(names).toEqual(expect.arrayContaining(['ix_products_search_trgm']));
        expect(names.filter((n) => n.startsWith('ix_products_active_')).length).toBe(5);
      }
    },
  );
});
