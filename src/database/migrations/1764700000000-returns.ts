import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Returns (CONTRACT Part 2, Returns): a return of lines of one delivered fulfillment, its lines
 * and its status history. Money is integer tiyn. The order tables are referenced by id only: they
 * belong to the orders module, which may reshape them.
 */
export class Returns1764700000000 implements MigrationInterface {
  name = 'Returns1764700000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const uuid = pg ? 'uuid' : 'varchar(36)';
    const pk = pg ? 'uuid PRIMARY KEY DEFAULT gen_random_uuid()' : 'varchar(36) PRIMARY KEY';
    const ts = pg ? 'timestamptz' : 'datetime';
    const now = pg ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f','now'))";
    const statements = [
      `CREATE TABLE returns (
        id ${pk}, order_id ${uuid} NOT NULL, fulfillment_id ${uuid} NOT NULL,
        seller_id ${uuid} NOT NULL, buyer_id ${uuid} NOT NULL, order_ref varchar(32) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('requested','approved','rejected','cancelled','escalated','received','refunded')),
        refund_amount bigint NOT NULL CHECK (refund_amount >= 0),
        refund_delivery bigint NOT NULL DEFAULT 0 CHECK (refund_delivery >= 0),
        refund_status varchar(16) CHECK (refund_status IN ('pending','completed','failed','manual')),
        refund_attempts integer NOT NULL DEFAULT 0, refund_claimed_at ${ts}, next_refund_at ${ts},
        refund_failure varchar(200), decided_by ${uuid}, decision_note text, escalated_at ${ts},
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      // GET /returns: the buyer's, the seller's, everyone's (admin), each optionally by status
      `CREATE INDEX ix_returns_buyer_created ON returns (buyer_id, created_at)`,
      `CREATE INDEX ix_returns_seller_created ON returns (seller_id, created_at)`,
      // the admin's status filter, and the escalation sweep (status = 'requested', oldest first)
      `CREATE INDEX ix_returns_status_created ON returns (status, created_at)`,
      `CREATE INDEX ix_returns_created ON returns (created_at)`,
      // quantities already held by other returns of the same fulfillment
      `CREATE INDEX ix_returns_fulfillment ON returns (fulfillment_id)`,
      // the refund recovery sweep: only the few returns whose refund is unfinished
      `CREATE INDEX ix_returns_refund_due ON returns (refund_status, next_refund_at) WHERE refund_status IN ('pending','failed')`,

      `CREATE TABLE return_items (
        id ${pk}, return_id ${uuid} NOT NULL REFERENCES returns(id), position integer NOT NULL,
        order_item_id ${uuid} NOT NULL,
        product_id ${uuid} NOT NULL, product_name varchar(200) NOT NULL,
        price bigint NOT NULL CHECK (price >= 0), quantity integer NOT NULL CHECK (quantity > 0),
        reason varchar(20) NOT NULL CHECK (reason IN ('defective','not_as_described','wrong_item','changed_mind','other')),
        comment text)`,
      `CREATE UNIQUE INDEX uq_return_items_return_line ON return_items (return_id, order_item_id)`,
      `CREATE INDEX ix_return_items_order_item ON return_items (order_item_id)`,

      `CREATE TABLE return_status_history (
        id ${pk}, return_id ${uuid} NOT NULL REFERENCES returns(id), status varchar(16) NOT NULL,
        changed_by ${uuid}, note text, at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE INDEX ix_return_history_return ON return_status_history (return_id, at)`,
    ];
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['return_status_history', 'return_items', 'returns']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
