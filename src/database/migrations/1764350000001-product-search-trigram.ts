import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: a trigram GIN index on products.search_text, so that the catalog search
 * (`search_text LIKE '%term%'`) does not scan every product. Needs the pg_trgm extension (trusted
 * since PostgreSQL 13, so a database owner may create it); where it cannot be created the search
 * still works, unindexed. SQLite: nothing (no index serves a substring LIKE there).
 */
export class ProductSearchTrigram1764350000001 implements MigrationInterface {
  name = 'ProductSearchTrigram1764350000001';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    if (!(await this.ensureTrigram(q))) return;
    await q.query(
      'CREATE INDEX IF NOT EXISTS ix_products_search_trgm ON products USING gin (search_text gin_trgm_ops)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query('DROP INDEX IF EXISTS ix_products_search_trgm');
  }

  /** Creates pg_trgm when possible, without aborting the migration's transaction if not. */
  private async ensureTrigram(q: QueryRunner): Promise<boolean> {
    const [row] = (await q.query(
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS installed,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') AS available`,
    )) as { installed: boolean; available: boolean }[];
    if (row.installed) return true;
    if (!row.available) return false;
    const inTx = q.isTransactionActive;
    if (inTx) await q.query('SAVEPOINT pg_trgm_attempt');
    try {
      await q.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      if (inTx) await q.query('RELEASE SAVEPOINT pg_trgm_attempt');
      return true;
    } catch {
      if (inTx) await q.query('ROLLBACK TO SAVEPOINT pg_trgm_attempt');
      return false;
    }
  }
}
