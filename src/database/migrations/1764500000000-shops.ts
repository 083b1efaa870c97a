import { MigrationInterface, QueryRunner } from 'typeorm';

/** Shops (a seller's legal and payout identity) and the history of their status moves. */
export class Shops1764500000000 implements MigrationInterface {
  name = 'Shops1764500000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const uuid = pg ? 'uuid' : 'varchar(36)';
    const pk = pg ? 'uuid PRIMARY KEY DEFAULT gen_random_uuid()' : 'varchar(36) PRIMARY KEY';
    const ts = pg ? 'timestamptz' : 'datetime';
    const now = pg ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f','now'))";
    const statuses = `('draft','pending_review','approved','rejected','suspended')`;
    const statements = [
      `CREATE TABLE shops (
        id ${pk}, seller_id ${uuid} NOT NULL REFERENCES users(id), name varchar(200),
        name_search varchar(200), slug varchar(100), description text NOT NULL DEFAULT '', city varchar(100),
        support_phone varchar(12),
        legal_form varchar(12) CHECK (legal_form IN ('ip','too','individual')),
        bin_iin varchar(12), vat_payer boolean NOT NULL DEFAULT false, iban varchar(20),
        bik varchar(11), kbe varchar(2),
        status varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ${statuses}),
        status_reason varchar(500), rating real NOT NULL DEFAULT 0,
        rating_sum integer NOT NULL DEFAULT 0, review_count integer NOT NULL DEFAULT 0,
        holiday boolean NOT NULL DEFAULT false, approved_at ${ts},
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_shops_seller ON shops (seller_id)`,
      `CREATE UNIQUE INDEX uq_shops_slug ON shops (slug)`,
      `CREATE INDEX ix_shops_status_created ON shops (status, created_at)`,
      `CREATE INDEX ix_shops_created ON shops (created_at)`,
      `CREATE INDEX ix_shops_bin_iin ON shops (bin_iin)`,

      `CREATE TABLE shop_status_history (
        id ${pk}, shop_id ${uuid} NOT NULL REFERENCES shops(id), seller_id ${uuid} NOT NULL,
        from_status varchar(16) NOT NULL, to_status varchar(16) NOT NULL, reason varchar(500),
        changed_by ${uuid}, previous_values text, at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE INDEX ix_shop_status_history_shop ON shop_status_history (shop_id, at)`,
    ];
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE shop_status_history`);
    await q.query(`DROP TABLE shops`);
  }
}
