import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

import { MIGRATION_LOCK_KEY } from '../../src/database/locked-migrations';
import { MIGRATIONS } from '../../src/database/migrations';
import { ServerProcess, sleep } from '../support/server-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (
  path: string,
  o?: object,
) => { prepare(s: string): { get(): unknown }; close(): void };

const ROOT = join(__dirname, '..', '..');
const PG = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LAST = MIGRATIONS[MIGRATIONS.length - 1].name;

/** `npm run migration:<cmd>` on the compiled data source, as an operator runs it. */
function cli(cmd: 'show' | 'run' | 'revert', env: Record<string, string>) {
  const res = spawnSync('npm', ['run', '-s', `migration:${cmd}`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`migration:${cmd} exited ${res.status}:\n${res.stderr}`);
  return res.stdout;
}

const applied = (out: string) => [...out.matchAll(/^\s*\[X\] \d+ (\w+)$/gm)].map((m) => m[1]);
const pending = (out: string) => [...out.matchAll(/^\s*\[ \] (\w+)$/gm)].map((m) => m[1]);

function sqliteMigrationCount(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM migrations').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('migrations: the CLI on the compiled data source, and MIGRATIONS_RUN=false', () => {
  let dir: string;
  const servers: ServerProcess[] = [];
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'bibarys-migrations-'))));
  afterAll(async () => {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows, runs and reverts on a SQLite file; a server with MIGRATIONS_RUN=false leaves the schema alone', async () => {
    const env = { DATABASE_PATH: join(dir, 'cli.sqlite') };
    const names = MIGRATIONS.map((m) => m.name);

    const before = cli('show', env);
    expect(pending(before)).toEqual(names);
    expect(applied(before)).toEqual([]);

    cli('run', env);
    expect(applied(cli('show', env))).toEqual(names);

    cli('revert', env);
    const reverted = cli('show', env);
    expect(applied(reverted)).toEqual(names.slice(0, -1));
    expect(pending(reverted)).toEqual([LAST]);

    // a server told not to migrate starts and leaves the last migration pending
    const noRun = await ServerProcess.start({ ...env, MIGRATIONS_RUN: 'false' });
    servers.push(noRun);
    expect((await noRun.request('GET', '/health/ready')).status).toBe(200);
    await noRun.stop();
    expect(sqliteMigrationCount(env.DATABASE_PATH)).toBe(names.length - 1);

    // by default it runs what is pending
    const run = await ServerProcess.start(env);
    servers.push(run);
    await run.stop();
    expect(sqliteMigrationCount(env.DATABASE_PATH)).toBe(names.length);
  });

  // A CI run once read 18 migrations after the step above. Its harness took a 200 from /health
  // for the child's own, but any process that bound the port between freePort and the child (a
  // supertest request of a suite alongside listens on port 0) answers /health with 200 too; the
  // child, stopped while it still migrated, left the last one undone.
  it('a server whose port another process took fails its start instead of answering from it', async () => {
    const other = createServer((_, res) => res.writeHead(200).end('{}'));
    await new Promise<void>((r) => other.listen(0, r));
    try {
      const port = (other.address() as AddressInfo).port;
      const env = { DATABASE_PATH: join(dir, 'taken.sqlite'), PORT: String(port) };
      const started = ServerProcess.start(env).then((s) => servers.push(s));
      await expect(started).rejects.toThrow(/server exited during start/);
    } finally {
      other.closeAllConnections();
      await new Promise((r) => other.close(r));
    }
  });
});

describe('migrations at start on PostgreSQL: an advisory lock for replicas starting together', () => {
  const created: string[] = [];
  const servers: ServerProcess[] = [];
  let admin: Client;

  async function freshDatabase(): Promise<string> {
    const name = `bibarys_ops_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    const url = new URL(PG);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async function connect(url: string): Promise<Client> {
    const c = new Client({ connectionString: url });
    await c.connect();
    return c;
  }

  /** Waits (bounded) until a session of `c`'s database queues behind an advisory lock. */
  async function waitForLockWaiter(c: Client): Promise<number> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const { rows } = await c.query(
        `SELECT COUNT(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()`,
      );
      if (rows[0].n) return rows[0].n;
      await sleep(100);
    }
    return 0;
  }

  const migrationsTable = async (c: Client) =>
    (await c.query(`SELECT to_regclass('public.migrations') AS t`)).rows[0].t;

  beforeAll(async () => (admin = await connect(PG)));
  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('a starting server waits for the migration lock, and migrates once it has it', async () => {
    const url = await freshDatabase();
    const holder = await connect(url);
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const starting = ServerProcess.start({ DATABASE_URL: url });
      starting.then((s) => servers.push(s)).catch(() => undefined);
      expect(await waitForLockWaiter(holder)).toBe(1);
      expect(await migrationsTable(holder)).toBeNull(); // nothing migrated meanwhile
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      const server = await starting;
      expect((await server.request('GET', '/health/ready')).status).toBe(200);
      const count = await holder.query('SELECT COUNT(*)::int AS n FROM migrations');
      expect(count.rows[0].n).toBe(MIGRATIONS.length);
    } finally {
      await holder.end();
    }
  });

  it('two servers starting at once on an empty database both come up; each migration ran once', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([
      ServerProcess.start({ DATABASE_URL: url }),
      ServerProcess.start({ DATABASE_URL: url }),
    ]);
    servers.push(a, b);
    expect((await a.request('GET', '/health/ready')).status).toBe(200);
    expect((await b.request('GET', '/health/ready')).status).toBe(200);
    const c = await connect(url);
    try {
      const { rows } = await c.query(
        'SELECT name, COUNT(*)::int AS n FROM migrations GROUP BY name ORDER BY name',
      );
      expect(rows).toHaveLength(MIGRATIONS.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      // neither had to retry its start: no failed migration in either log
      expect(a.output + b.output).not.toMatch(
        /Migration "\w+" failed|already exists|Unable to connect to the database/,
      );
    } finally {
      await c.end();
    }
  });

  it('the migration CLI takes the same lock', async () => {
    const url = await freshDatabase();
    const holder = await connect(url);
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const child = spawn('npm', ['run', '-s', 'migration:run'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: url },
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(await waitForLockWaiter(holder)).toBe(1);
      expect(await migrationsTable(holder)).toBeNull();
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      expect(await exited).toBe(0);
      expect(applied(cli('show', { DATABASE_URL: url }))).toHaveLength(MIGRATIONS.length);
    } finally {
      await holder.end();
    }
  });
});
