import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: a mail remembers the request that queued it (`request_id`, so the sender's log lines
 * carry that request's id); indexes for the admins' list of mails by status, newest first, and
 * for purging sent mails older than OUTBOX_RETENTION.
 */
export class OutboxObservability1765500000001 implements MigrationInterface {
  name = 'OutboxObservability1765500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mail_outbox ADD COLUMN request_id varchar(64)`);
    await q.query(`CREATE INDEX ix_mail_outbox_status_created ON mail_outbox (status, created_at)`);
    await q.query(`CREATE INDEX ix_mail_outbox_status_sent ON mail_outbox (status, sent_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_mail_outbox_status_sent`);
    await q.query(`DROP INDEX ix_mail_outbox_status_created`);
    await q.query(`ALTER TABLE mail_outbox DROP COLUMN request_id`);
  }
}
