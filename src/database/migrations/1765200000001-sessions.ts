import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts (issue 16): `sessions` (one per login), the `refresh_tokens` each session was given
 * (by hash, for rotation and reuse detection) and the mailed single-use `account_tokens`
 * (password reset, email verification), also by hash. Deleting a user deletes all three.
 */
export class Sessions1765200000001 implements MigrationInterface {
  name = 'Sessions1765200000001';

  async up(q: QueryRunner): Promise<void> {
    const pg = q.connection.options.type === 'postgres';
    const uuid = pg ? 'uuid' : 'varchar(36)';
    const ts = pg ? 'timestamptz' : 'datetime';
    const statements = [
      `CREATE TABLE sessions (
        id ${uuid} PRIMARY KEY,
        user_id ${uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_version integer NOT NULL,
        user_agent varchar(256), ip varchar(64),
        created_at ${ts} NOT NULL, last_used_at ${ts} NOT NULL, expires_at ${ts} NOT NULL,
        revoked_at ${ts}, revoked_reason varchar(32))`,
      `CREATE INDEX ix_sessions_user ON sessions (user_id)`,
      `CREATE TABLE refresh_tokens (
        token_hash varchar(64) PRIMARY KEY,
        session_id ${uuid} NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        created_at ${ts} NOT NULL, used_at ${ts})`,
      `CREATE INDEX ix_refresh_tokens_session ON refresh_tokens (session_id)`,
      `CREATE TABLE account_tokens (
        token_hash varchar(64) PRIMARY KEY,
        user_id ${uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose varchar(16) NOT NULL CHECK (purpose IN ('password_reset','email_verify')),
        created_at ${ts} NOT NULL, expires_at ${ts} NOT NULL, used_at ${ts})`,
      `CREATE INDEX ix_account_tokens_user ON account_tokens (user_id, purpose)`,
    ];
    for (const s of statements) await q.query(s);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_tokens`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE sessions`);
  }
}
