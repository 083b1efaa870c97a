import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: sellers' balances are cached (BalanceCache) until `seller_balances` changes, and
 * every ledger entry moves its seller's summary row in the same transaction; this trigger tells
 * the other server processes (CacheNotify's function and channel). Ledger writes are deliveries,
 * refunds, payouts and adjustments, not checkouts. SQLite: nothing (`PRAGMA data_version`).
 */
export class BalanceCacheNotify1765700000006 implements MigrationInterface {
  name = 'BalanceCacheNotify1765700000006';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(
      `CREATE TRIGGER seller_balances_cache_notify
       AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON seller_balances
       FOR EACH STATEMENT EXECUTE FUNCTION bibarys_cache_notify()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(`DROP TRIGGER seller_balances_cache_notify ON seller_balances`);
  }
}
