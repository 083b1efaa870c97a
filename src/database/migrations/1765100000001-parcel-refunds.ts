import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parcel refunds (issue 15): cancelling one paid parcel of a multi-seller order, or moving one
 * delivered parcel to `refunded`, gives the buyer that parcel's money back as a `refunds` row of
 * its own (`kind = 'parcel'`, reference = the fulfillment's id), written in the moving
 * transaction. Every refund now names its parcel (`fulfillment_id`), so what a parcel still holds
 * is the parcel's total less its refunds; return refunds written before are backfilled from
 * their return.
 */
export class ParcelRefunds1765100000001 implements MigrationInterface {
  name = 'ParcelRefunds1765100000001';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const uuid = pg ? 'uuid' : 'varchar(36)';
    const statements = [
      `ALTER TABLE refunds ADD COLUMN fulfillment_id ${uuid}`,
      `ALTER TABLE refunds ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'return'
         CHECK (kind IN ('return', 'parcel'))`,
      `UPDATE refunds SET fulfillment_id = (
         SELECT r.fulfillment_id FROM returns r WHERE CAST(r.id AS varchar(64)) = refunds.reference)`,
      // what a parcel's refunds already hold
      `CREATE INDEX ix_refunds_fulfillment ON refunds (fulfillment_id)`,
      // the recovery sweep: parcel refunds failed or left pending by a crash
      `CREATE INDEX ix_refunds_open ON refunds (kind, status, updated_at)`,
    ];
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_refunds_open`);
    await q.query(`DROP INDEX ix_refunds_fulfillment`);
    await q.query(`ALTER TABLE refunds DROP COLUMN kind`);
    await q.query(`ALTER TABLE refunds DROP COLUMN fulfillment_id`);
  }
}
