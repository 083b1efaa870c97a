import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: a full-text index with the trigram tokenizer over `products.search_text`, so a
 * substring search (the semantics of LIKE '%term%', for terms of 3+ characters) reads the index
 * instead of scanning every product. Keyed by product id (not rowid, which VACUUM may renumber)
 * and kept in step by triggers. PostgreSQL has its trigram GIN index (the previous migration).
 */
export class ProductSearchFts1764400000000 implements MigrationInterface {
  name = 'ProductSearchFts1764400000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    await q.query(
      `CREATE VIRTUAL TABLE products_fts USING fts5(id UNINDEXED, search_text, tokenize = 'trigram')`,
    );
    await q.query(
      `INSERT INTO products_fts (id, search_text) SELECT id, search_text FROM products`,
    );
    await q.query(
      `CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN
         INSERT INTO products_fts (id, search_text) VALUES (new.id, new.search_text);
       END`,
    );
    await q.query(
      `CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN
         DELETE FROM products_fts WHERE id = old.id;
       END`,
    );
    await q.query(
      `CREATE TRIGGER products_fts_au AFTER UPDATE OF search_text ON products BEGIN
         UPDATE products_fts SET search_text = new.search_text WHERE id = old.id;
       END`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    for (const t of ['products_fts_ai', 'products_fts_ad', 'products_fts_au']) {
      await q.query(`DROP TRIGGER ${t}`);
    }
    await q.query('DROP TABLE products_fts');
  }
}
