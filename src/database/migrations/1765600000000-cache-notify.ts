import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: every statement that changes a table other server processes cache (products,
 * users, sessions, shops, commission_rules) queues `NOTIFY bibarys_cache, '<table>|<writer's
 * application_name>'`; PostgreSQL delivers it only when the transaction commits (a rollback
 * sends nothing) and once per transaction however many statements queued the same payload.
 * Every server process LISTENs (CacheListener) and drops its cached reads of that table. A
 * trigger covers every writer: the API, the seed and an operator's psql alike.
 *
 * `sessions`: only the columns the token check reads (a refresh moves `last_used_at` and
 * `expires_at` and stays silent, as it does for this process's own cache). SQLite: nothing
 * (`PRAGMA data_version` shows other processes' commits).
 */
export class CacheNotify1765600000000 implements MigrationInterface {
  name = 'CacheNotify1765600000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query(
      `CREATE FUNCTION bibarys_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('bibarys_cache', TG_TABLE_NAME || '|' || current_setting('application_name'));
         RETURN NULL;
       END $$`,
    );
    for (const t of ['products', 'users', 'shops', 'commission_rules']) {
      await q.query(
        `CREATE TRIGGER ${t}_cache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${t}
         FOR EACH STATEMENT EXECUTE FUNCTION bibarys_cache_notify()`,
      );
    }
    await q.query(
      `CREATE TRIGGER sessions_cache_notify
       AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF user_id, token_version, revoked_at ON sessions
       FOR EACH STATEMENT EXECUTE FUNCTION bibarys_cache_notify()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    for (const t of ['products', 'users', 'shops', 'commission_rules', 'sessions']) {
      await q.query(`DROP TRIGGER ${t}_cache_notify ON ${t}`);
    }
    await q.query('DROP FUNCTION bibarys_cache_notify()');
  }
}
