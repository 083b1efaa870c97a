import { randomUUID } from 'node:crypto';

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money to sellers: commission rules (with the global rule at 10 %), the append-only seller ledger
 * with its per-seller summary, payout batches and payouts. Money is integer tiyn, rates basis points.
 *
 * The ledger refuses UPDATE and DELETE in the database itself (a trigger on each engine), so no
 * code path, migration script or console session can rewrite what a seller was told.
 */
export class Finance1764600000000 implements MigrationInterface {
  name = 'Finance1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const uuid = pg ? 'uuid' : 'varchar(36)';
    const ts = pg ? 'timestamptz' : 'datetime';
    const now = pg ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f','now'))";
    const types = `'sale','commission','refund','commission_reversal','payout','payout_reversal','adjustment'`;
    const statements = [
      `CREATE TABLE commission_rules (
        id ${uuid} PRIMARY KEY, scope varchar(10) NOT NULL CHECK (scope IN ('global','category','seller')),
        category varchar(20), seller_id ${uuid},
        rate_bp integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
        min_fee bigint CHECK (min_fee >= 0), max_fee bigint CHECK (max_fee >= 0),
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts},
        CHECK (min_fee IS NULL OR max_fee IS NULL OR min_fee <= max_fee),
        CHECK ((scope = 'global' AND category IS NULL AND seller_id IS NULL)
            OR (scope = 'category' AND category IS NOT NULL AND seller_id IS NULL)
            OR (scope = 'seller' AND seller_id IS NOT NULL AND category IS NULL)))`,
      `CREATE UNIQUE INDEX uq_commission_rules_global ON commission_rules (scope) WHERE scope = 'global'`,
      `CREATE UNIQUE INDEX uq_commission_rules_category ON commission_rules (category) WHERE scope = 'category'`,
      `CREATE UNIQUE INDEX uq_commission_rules_seller ON commission_rules (seller_id) WHERE scope = 'seller'`,
      // the env default (COMMISSION_RATE_PERCENT) is applied at boot while updated_at is null
      `INSERT INTO commission_rules (id, scope, rate_bp) VALUES ('${randomUUID()}', 'global', 1000)`,

      `CREATE TABLE seller_ledger_entries (
        id ${uuid} PRIMARY KEY, seller_id ${uuid} NOT NULL,
        type varchar(24) NOT NULL CHECK (type IN (${types})), amount bigint NOT NULL,
        order_id ${uuid}, fulfillment_id ${uuid}, return_id ${uuid}, payout_id ${uuid},
        note varchar(500), available_at ${ts} NOT NULL, created_at ${ts} NOT NULL)`,
      `CREATE INDEX ix_ledger_seller_created ON seller_ledger_entries (seller_id, created_at)`,
      `CREATE INDEX ix_ledger_seller_available ON seller_ledger_entries (seller_id, available_at)`,
      `CREATE INDEX ix_ledger_seller_type_created ON seller_ledger_entries (seller_id, type, created_at)`,
      `CREATE INDEX ix_ledger_order ON seller_ledger_entries (order_id)`,
      `CREATE INDEX ix_ledger_payout ON seller_ledger_entries (payout_id)`,

      `CREATE TABLE seller_balances (
        seller_id ${uuid} PRIMARY KEY, total bigint NOT NULL, paid_out bigint NOT NULL,
        lifetime_sales bigint NOT NULL, lifetime_commission bigint NOT NULL,
        entry_count integer NOT NULL, updated_at ${ts} NOT NULL)`,

      `CREATE TABLE payout_batches (
        id ${uuid} PRIMARY KEY, created_by ${uuid} NOT NULL, payout_count integer NOT NULL,
        total_amount bigint NOT NULL, min_amount bigint NOT NULL, provider varchar(32) NOT NULL,
        created_at ${ts} NOT NULL)`,
      `CREATE INDEX ix_payout_batches_created ON payout_batches (created_at)`,

      `CREATE TABLE payouts (
        id ${uuid} PRIMARY KEY, batch_id ${uuid} NOT NULL REFERENCES payout_batches(id),
        seller_id ${uuid} NOT NULL, amount bigint NOT NULL CHECK (amount > 0),
        status varchar(10) NOT NULL CHECK (status IN ('pending','paid','failed')),
        shop_name varchar(200) NOT NULL, bin_iin varchar(12) NOT NULL, iban varchar(34) NOT NULL,
        bik varchar(11) NOT NULL, kbe varchar(2) NOT NULL, email varchar(254) NOT NULL,
        purpose varchar(200) NOT NULL, bank_reference varchar(100), failure_reason varchar(300),
        created_at ${ts} NOT NULL, paid_at ${ts}, failed_at ${ts})`,
      `CREATE INDEX ix_payouts_created ON payouts (created_at)`,
      `CREATE INDEX ix_payouts_seller_created ON payouts (seller_id, created_at)`,
      `CREATE INDEX ix_payouts_batch ON payouts (batch_id, created_at)`,
      `CREATE INDEX ix_payouts_status_created ON payouts (status, created_at)`,
    ];
    const appendOnly = pg
      ? [
          `CREATE FUNCTION seller_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             RAISE EXCEPTION 'seller_ledger_entries is append-only (% refused)', TG_OP
               USING ERRCODE = 'P0001';
           END $$`,
          `CREATE TRIGGER seller_ledger_no_change BEFORE UPDATE OR DELETE ON seller_ledger_entries
             FOR EACH ROW EXECUTE FUNCTION seller_ledger_append_only()`,
          `CREATE TRIGGER seller_ledger_no_truncate BEFORE TRUNCATE ON seller_ledger_entries
             FOR EACH STATEMENT EXECUTE FUNCTION seller_ledger_append_only()`,
        ]
      : [
          `CREATE TRIGGER seller_ledger_no_update BEFORE UPDATE ON seller_ledger_entries
           BEGIN SELECT RAISE(ABORT, 'seller_ledger_entries is append-only (UPDATE refused)'); END`,
          `CREATE TRIGGER seller_ledger_no_delete BEFORE DELETE ON seller_ledger_entries
           BEGIN SELECT RAISE(ABORT, 'seller_ledger_entries is append-only (DELETE refused)'); END`,
        ];
    for (const s of [...statements, ...appendOnly]) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    for (const t of [
      'payouts',
      'payout_batches',
      'seller_balances',
      'seller_ledger_entries',
      'commission_rules',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    if (pg) await q.query('DROP FUNCTION seller_ledger_append_only()');
  }
}
