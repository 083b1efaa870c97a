import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Seller money hooked into the order flow (issue 15 phase 2):
 * - each order line freezes its commission at checkout: `commission_rate` (basis points) and
 *   `commission` (tiyn); lines sold before this migration get 0 (no commission was agreed);
 * - the ledger's money hooks write each entry once however requests race: a unique index per
 *   fulfillment for its `sale` and `commission`, per fulfillment for the `refund` and
 *   `commission_reversal` of a fulfillment moved to `refunded` (no return), and per return for a
 *   return's pair. A second writer's INSERT finds the row and does nothing.
 */
export class OrderCommission1764900000000 implements MigrationInterface {
  name = 'OrderCommission1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `ALTER TABLE order_items ADD COLUMN commission_rate integer NOT NULL DEFAULT 0`,
      `ALTER TABLE order_items ADD COLUMN commission bigint NOT NULL DEFAULT 0`,
      `CREATE INDEX ix_ledger_fulfillment ON seller_ledger_entries (fulfillment_id)`,
      `CREATE UNIQUE INDEX uq_ledger_fulfillment_sale ON seller_ledger_entries (fulfillment_id, type)
         WHERE type IN ('sale', 'commission')`,
      `CREATE UNIQUE INDEX uq_ledger_fulfillment_refund ON seller_ledger_entries (fulfillment_id, type)
         WHERE return_id IS NULL AND type IN ('refund', 'commission_reversal')`,
      `CREATE UNIQUE INDEX uq_ledger_return ON seller_ledger_entries (return_id, type)
         WHERE return_id IS NOT NULL`,
    ];
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const ix of [
      'uq_ledger_return',
      'uq_ledger_fulfillment_refund',
      'uq_ledger_fulfillment_sale',
      'ix_ledger_fulfillment',
    ]) {
      await q.query(`DROP INDEX ${ix}`);
    }
    await q.query(`ALTER TABLE order_items DROP COLUMN commission`);
    await q.query(`ALTER TABLE order_items DROP COLUMN commission_rate`);
  }
}
