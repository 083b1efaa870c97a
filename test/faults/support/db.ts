import { createHmac, randomUUID } from 'node:crypto';

import { Client } from 'pg';

interface SqliteConn {
  prepare(sql: string): { all(...p: unknown[]): unknown[]; run(...p: unknown[]): unknown };
  pragma(s: string): unknown;
  close(): void;
}
// better-sqlite3 ships no type declarations and @types/better-sqlite3 is not installed
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (path: string, o?: object) => SqliteConn;

/**
 * Direct access to the server's database from the test process (seeding and checking
 * invariants), the same on SQLite and PostgreSQL: write SQL with $1, $2… placeholders in order.
 */
export class FaultDb {
  private constructor(
    readonly kind: 'sqlite' | 'postgres',
    private readonly sqlite?: SqliteConn,
    private readonly pg?: Client,
  ) {}

  static async open(env: Record<string, string>): Promise<FaultDb> {
    if (env.DATABASE_URL) {
      const c = new Client({ connectionString: env.DATABASE_URL });
      await c.connect();
      return new FaultDb('postgres', undefined, c);
    }
    const db = new Database(env.DATABASE_PATH, { timeout: 10_000 });
    db.pragma('busy_timeout = 10000');
    return new FaultDb('sqlite', db);
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.pg) return (await this.pg.query(sql, params)).rows as T[];
    const stmt = this.sqlite!.prepare(sql.replace(/\$\d+/g, '?'));
    const p = params.map((v) => (typeof v === 'boolean' ? Number(v) : v));
    if (/^\s*(select|with)\b/i.test(sql)) return stmt.all(...p) as T[];
    stmt.run(...p);
    return [];
  }

  /** One number from `SELECT … AS n` (PostgreSQL returns bigint counts as strings). */
  async count(sql: string, params: unknown[] = []): Promise<number> {
    const [row] = await this.query<{ n: number | string | null }>(sql, params);
    return Number(row?.n ?? 0);
  }

  async close(): Promise<void> {
    if (this.pg) await this.pg.end();
    this.sqlite?.close();
  }
}

/** Inserts active customers straight into `users` (all with one bcrypt hash), returning ids. */
export async function insertCustomers(
  db: FaultDb,
  n: number,
  passwordHash: string,
  prefix: string,
): Promise<{ id: string; email: string }[]> {
  const out: { id: string; email: string }[] = [];
  for (let i = 0; i < n; i++) {
    const u = { id: randomUUID(), email: `${prefix}.${i}@example.kz` };
    await db.query(
      `INSERT INTO users (id, email, password_hash, first_name, last_name, role) VALUES ($1, $2, $3, $4, $5, 'customer')`,
      [u.id, u.email, passwordHash, 'Покупатель', `Номер${i}`],
    );
    out.push(u);
  }
  return out;
}

/**
 * A session row for `user` (as a login makes it) and an access token naming it, signed with the
 * server's secret: the server accepts only tokens whose `sid` is a live session of the user.
 */
export async function mintToken(
  db: FaultDb,
  secret: string,
  user: { id: string; role: string },
  ttlS = 3600,
): Promise<string> {
  const sid = randomUUID();
  const at = (ms: number) => {
    const iso = new Date(ms).toISOString();
    return db.kind === 'postgres' ? iso : iso.replace('T', ' ').replace('Z', '');
  };
  await db.query(
    `INSERT INTO sessions (id, user_id, token_version, created_at, last_used_at, expires_at)
     VALUES ($1, $2, 0, $3, $4, $5)`,
    [sid, user.id, at(Date.now()), at(Date.now()), at(Date.now() + 30 * 86_400_000)],
  );
  return signToken(secret, user, sid, ttlS);
}

/** An access token as the server issues it (HS256, issuer and audience), for a known secret. */
function signToken(secret: string, user: { id: string; role: string }, sid: string, ttlS: number) {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({
    sub: user.id,
    role: user.role,
    tv: 0,
    sid,
    iat: now,
    exp: now + ttlS,
    iss: 'bibarys',
    aud: 'bibarys-api',
  });
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}
