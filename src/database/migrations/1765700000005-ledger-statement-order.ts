import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A statement lists a seller's month oldest first with ties by id: with (seller_id, created_at)
 * alone the id tiebreak sorted 100,000 rows in a temporary B-tree. The index with id serves the
 * statement in its own order, and every query the old one served (ledger pages, month sums).
 */
export class LedgerStatementOrder1765700000005 implements MigrationInterface {
  name = 'LedgerStatementOrder1765700000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_ledger_seller_created_id ON seller_ledger_entries (seller_id, created_at, id)`,
    );
    await q.query(`DROP INDEX ix_ledger_seller_created`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ix_ledger_seller_created ON seller_ledger_entries (seller_id, created_at)`,
    );
    await q.query(`DROP INDEX ix_ledger_seller_created_id`);
  }
}
