import { CatalogVersion } from '../../src/modules/products/catalog-cache/catalog-version';
import { createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

/**
 * The search index follows every write to a product: created, renamed, deleted, and rows an
 * operator writes by SQL. On SQLite it is keyed by `products.search_key` (its FTS5 rowid), so the
 * triggers find a product's index row in one lookup, not by reading the whole index.
 */
describe('product search index (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  const api = '/api/v1/products';
  const found = async (term: string) => {
    const res = await t.http.get(api).query({ search: term, page_size: 100 });
    expect(res.status).toBe(200);
    return (res.body.items as { id: string }[]).map((p) => p.id).sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    seller = await makeUser(t.http, 'seller');
  });
  afterAll(() => t.close());

  it('finds a created product, follows a rename and forgets a deleted row', async () => {
    const created = await t.http.post(api).set(seller.auth).send({
      name: 'Самовар латунный',
      description: '',
      price: 100,
      quantity: 3,
      category: 'home',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const other = await insertProduct(t.ds, seller.id, { name: 'Самовар электрический' });
    expect(await found('самовар')).toEqual([id, other.id].sort());

    const renamed = await t.http
      .put(`${api}/${id}`)
      .set(seller.auth)
      .send({ name: 'Чайник медный' });
    expect(renamed.status).toBe(200);
    expect(await found('самовар')).toEqual([other.id]);
    expect(await found('чайник')).toEqual([id]);

    // an operator's cleanup by SQL (the API only deactivates): its stock ledger first
    const p = t.db === 'postgres' ? '$1' : '?';
    await t.ds.query(`DELETE FROM stock_movements WHERE product_id = ${p}`, [other.id]);
    await t.ds.query(`DELETE FROM products WHERE id = ${p}`, [other.id]);
    t.app.get(CatalogVersion).bump(); // raw SQL is not seen by the catalog cache
    expect(await found('самовар')).toEqual([]);
    expect(await found('чайник')).toEqual([id]);
  });

  it('gives every product a distinct search key, rows written by SQL included (SQLite)', async () => {
    if (t.db !== 'sqlite') return; // PostgreSQL searches the row itself (a trigram GIN index)
    await insertProduct(t.ds, seller.id, { name: 'Кумган' });
    await t.ds.query(
      `INSERT INTO products (id, seller_id, name, description, price, quantity, category,
         image_urls, is_active, name_search, search_text)
       SELECT lower(hex(randomblob(16))), seller_id, 'Кумган ' || n, '', 100, 1, 'home', '[]', 1,
              'кумган ' || n, 'кумган ' || n
         FROM (SELECT ? AS seller_id), (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3)`,
      [seller.id],
    );
    const keys: { k: number | null }[] = await t.ds.query(
      `SELECT search_key AS k FROM products WHERE search_text LIKE 'кумган%'`,
    );
    expect(keys).toHaveLength(4);
    expect(keys.every((r) => Number.isInteger(r.k))).toBe(true);
    expect(new Set(keys.map((r) => r.k)).size).toBe(4);
    t.app.get(CatalogVersion).bump(); // raw SQL is not seen by the catalog cache
    expect(await found('кумган')).toHaveLength(4);
    const indexed: { n: number }[] = await t.ds.query(
      `SELECT COUNT(*) AS n FROM products p JOIN products_fts f ON f.rowid = p.search_key`,
    );
    const all: { n: number }[] = await t.ds.query(`SELECT COUNT(*) AS n FROM products`);
    expect(indexed[0].n).toBe(all[0].n);
  });

  it('keeps the index in step by rowid: an edit or a delete is one lookup (SQLite)', async () => {
    if (t.db !== 'sqlite') return;
    const triggers: { name: string; sql: string }[] = await t.ds.query(
      `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('products_fts_au', 'products_fts_ad')`,
    );
    expect(triggers.map((r) => r.name).sort()).toEqual(['products_fts_ad', 'products_fts_au']);
    for (const { sql } of triggers) {
      const body = /BEGIN\s+([\s\S]*?);\s*END/i.exec(sql)![1];
      const params: unknown[] = [];
      const statement = body.replace(/\b(old|new)\.\w+/g, () => {
        params.push('x');
        return '?';
      });
      const plan: { detail: string }[] = await t.ds.query(
        `EXPLAIN QUERY PLAN ${statement}`,
        params,
      );
      // FTS5's plan for a rowid lookup is "INDEX 0:="; a scan of every row is "INDEX 0:"
      expect(plan.map((r) => r.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX 0:=/);
    }
  });
});
