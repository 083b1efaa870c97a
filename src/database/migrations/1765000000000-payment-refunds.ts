import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial refunds (issue 15): one `refunds` row per refund of (part of) a payment, unique by its
 * reference (the caller's idempotency key), so a retried refund is never paid twice. The payment
 * status columns widen for `partially_refunded` (18 characters).
 */
export class PaymentRefunds1765000000000 implements MigrationInterface {
  name = 'PaymentRefunds1765000000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const uuid = pg ? 'uuid' : 'varchar(36)';
    const pk = pg ? 'uuid PRIMARY KEY DEFAULT gen_random_uuid()' : 'varchar(36) PRIMARY KEY';
    const ts = pg ? 'timestamptz' : 'datetime';
    const now = pg ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f','now'))";
    const statements = [
      `CREATE TABLE refunds (
        id ${pk}, reference varchar(64) NOT NULL, payment_id ${uuid}, order_id ${uuid} NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        status varchar(16) NOT NULL CHECK (status IN ('pending','completed','failed','manual','paid')),
        provider_refund_id varchar(64), failure_reason varchar(200),
        attempts integer NOT NULL DEFAULT 0,
        created_at ${ts} NOT NULL DEFAULT ${now}, updated_at ${ts} NOT NULL DEFAULT ${now})`,
      `CREATE UNIQUE INDEX uq_refunds_reference ON refunds (reference)`,
      // what is still refundable of a payment
      `CREATE INDEX ix_refunds_payment ON refunds (payment_id)`,
    ];
    // SQLite does not enforce varchar lengths
    if (pg) {
      statements.push(
        `ALTER TABLE orders ALTER COLUMN payment_status TYPE varchar(20)`,
        `ALTER TABLE payments ALTER COLUMN status TYPE varchar(20)`,
      );
    }
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refunds`);
  }
}
