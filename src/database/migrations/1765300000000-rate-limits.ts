import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every server process (issue 16), in the layout
 * rate-limiter-flexible's PostgreSQL and SQLite stores query: `key` (policy partition + value),
 * `points` counted in the window, `expire` (epoch milliseconds, when the window ends). The stores
 * write `INSERT INTO rate_limits VALUES (key, points, expire)`: keep the column order.
 */
export class RateLimits1765300000000 implements MigrationInterface {
  name = 'RateLimits1765300000000';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    await q.query(
      pg
        ? `CREATE TABLE rate_limits (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`
        : `CREATE TABLE rate_limits (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`,
    );
    // the sweep of ended windows
    await q.query(`CREATE INDEX ix_rate_limits_expire ON rate_limits (expire)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
  }
}
