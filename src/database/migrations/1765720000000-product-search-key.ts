import { MigrationInterface, QueryRunner } from 'typeorm';

import { ProductSearchFts1764400000000 } from './1764400000000-product-search-fts';

/**
 * SQLite: `products_fts` keyed by an integer of the product (`products.search_key`, its FTS5
 * rowid) instead of an UNINDEXED `id` column. FTS5 cannot index that column, so every trigger
 * that kept the index in step (`WHERE id = old.id`) read the whole index: 39 ms for one edited
 * product at 100,000 products, ~10× that at 1,000,000, with the event loop blocked. By rowid it
 * is one lookup. A search also no longer reads each match's id from the index's content table:
 * it joins `search_key` (unique index) to the matching rowids.
 *
 * `search_key` is given by the insert trigger (the next integer; the ORM never writes it), so
 * every writer — the API, the seeders, an operator's SQL — gets one. Not `rowid` itself: VACUUM
 * may renumber the rowids of a table without an INTEGER PRIMARY KEY. PostgreSQL has its trigram
 * GIN index on the row itself and needs none of this.
 */
export class ProductSearchKey1765720000000 implements MigrationInterface {
  name = 'ProductSearchKey1765720000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    for (const t of ['products_fts_ai', 'products_fts_ad', 'products_fts_au']) {
      await q.query(`DROP TRIGGER IF EXISTS ${t}`);
    }
    await q.query(`DROP TABLE products_fts`);
    await q.query(`ALTER TABLE products ADD COLUMN search_key integer`);
    await q.query(`UPDATE products SET search_key = rowid`);
    await q.query(`CREATE UNIQUE INDEX ux_products_search_key ON products (search_key)`);
    await q.query(
      `CREATE VIRTUAL TABLE products_fts USING fts5(search_text, tokenize = 'trigram')`,
    );
    await q.query(
      `INSERT INTO products_fts (rowid, search_text) SELECT search_key, search_text FROM products`,
    );
    await q.query(PRODUCTS_FTS_AI);
    await q.query(
      `CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
         DELETE FROM products_fts WHERE rowid = old.search_key;
       END`,
    );
    await q.query(
      `CREATE TRIGGER products_fts_au AFTER UPDATE OF search_text ON products BEGIN
         UPDATE products_fts SET search_text = new.search_text WHERE rowid = old.search_key;
       END`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    for (const t of ['products_fts_ai', 'products_fts_ad', 'products_fts_au']) {
      await q.query(`DROP TRIGGER IF EXISTS ${t}`);
    }
    await q.query(`DROP TABLE products_fts`);
    await q.query(`DROP INDEX ux_products_search_key`);
    await q.query(`ALTER TABLE products DROP COLUMN search_key`);
    // the index as it was: keyed by id, its triggers
    await new ProductSearchFts1764400000000().up(q);
  }
}

/**
 * A new product takes the next search key (unless its writer gave one) and enters the index
 * under it. One trigger for both steps, so their order is fixed.
 */
const PRODUCTS_FTS_AI = `CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
   UPDATE products SET search_key = (SELECT IFNULL(MAX(search_key), 0) + 1 FROM products)
    WHERE rowid = new.rowid AND new.search_key IS NULL;
   INSERT INTO products_fts (rowid, search_text)
   SELECT search_key, new.search_text FROM products WHERE rowid = new.rowid;
 END`;
