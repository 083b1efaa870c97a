import { renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

import { ConfigError, loadDatabaseConfig } from '../config/app-config';

interface SqliteConn {
  pragma(s: string, o?: { simple: boolean }): unknown;
  backup(file: string, o: { progress: () => number }): Promise<unknown>;
  close(): void;
}
// better-sqlite3 ships no type declarations (and @types/better-sqlite3 is not installed)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (path: string, o?: object) => SqliteConn;

/**
 * `npm run backup -- <file>`: a consistent copy of the SQLite database at DATABASE_PATH while the
 * server keeps running, through SQLite's online backup API. The pages are copied in one step, so
 * the copy is one snapshot of the database (WAL mode: the server's writers are not blocked); it is
 * written beside the target and renamed into place, so `<file>` is never half written.
 * PostgreSQL: use pg_dump (README, Deploy).
 */
export async function backupSqlite(source: string, target: string, busyTimeoutMs = 5000) {
  const db = new Database(source, { fileMustExist: true });
  const partial = `${target}.partial`;
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    rmSync(partial, { force: true });
    // after the first step, copy every remaining page at once: one read transaction, one snapshot
    await db.backup(partial, { progress: () => 0x7fffffff });
    renameSync(partial, target);
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  } finally {
    db.close();
  }
  const copy = new Database(target, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`the copy fails quick_check: ${String(check)}`);
  } finally {
    copy.close();
  }
}

async function main() {
  const target = process.argv[2];
  if (!target) {
    console.error(
      'usage: npm run backup -- <file>   (copies the SQLite database at DATABASE_PATH)',
    );
    process.exit(2);
  }
  const db = loadDatabaseConfig();
  if (db.type !== 'sqlite') {
    console.error('DATABASE_URL is PostgreSQL: back it up with pg_dump (README, Deploy).');
    process.exit(2);
  }
  if (db.path === ':memory:')
    throw new ConfigError('DATABASE_PATH=:memory: has nothing to back up');
  await backupSqlite(db.path, resolve(target), db.busyTimeoutMs);
  console.log(`backed up ${db.path} to ${resolve(target)}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
