import { MigrationInterface, QueryRunner } from 'typeorm';

/** `GET /admin/refunds?status=&method=`: the admins' queue of refunds, newest first, by status. */
export class RefundsQueue1765600000001 implements MigrationInterface {
  name = 'RefundsQueue1765600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_refunds_status_created ON refunds (status, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_refunds_status_created`);
  }
}
