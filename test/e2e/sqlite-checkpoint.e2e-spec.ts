import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteCheckpointer } from '../../src/database/sqlite-checkpointer';
import { createTestApp, isPgRun, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { makeUser } from '../factories/users';

/** The main connection of a SQLite app (better-sqlite3). */
const sqliteOf = (t: TestApp) =>
  (t.ds.driver as unknown as { databaseConnection: { pragma(s: string, o?: object): unknown } })
    .databaseConnection;
const autoCheckpoint = (t: TestApp) =>
  sqliteOf(t).pragma('wal_autocheckpoint', { simple: true }) as number;

// better-sqlite3 ships no type declarations
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (path: string) => {
  prepare(sql: string): { get(...p: unknown[]): unknown };
  close(): void;
};

/**
 * How many of `ids` the database FILE holds, without its WAL: a copy of the main file alone is
 * opened, so only what a checkpoint has copied into the file is seen (-1 while the copy is torn
 * by a checkpoint writing the file at that moment).
 */
function inDatabaseFile(path: string, ids: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'bibarys-checkpoint-'));
  try {
    copyFileSync(path, join(dir, 'copy.sqlite'));
    const db = new Database(join(dir, 'copy.sqlite'));
    try {
      const row = db
        .prepare(`SELECT COUNT(*) AS n FROM products WHERE id IN (${ids.map(() => '?').join(',')})`)
        .get(...ids) as { n: number };
      return row.n;
    } finally {
      db.close();
    }
  } catch {
    return -1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('SQLite checkpoints off the event loop (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  // WAL checkpoints are SQLite's: on PostgreSQL (`npm run test:pg`) no worker may start
  if (isPgRun())
    it('on PostgreSQL starts no worker', () => {
      expect(t.app.get(SqliteCheckpointer).running).toBe(false);
    });
  else {
    it('a worker checkpoints the WAL while the main connection does not', async () => {
      const cp = t.app.get(SqliteCheckpointer);
      await until('the worker to start', () => autoCheckpoint(t) === 0);
      expect(cp.running).toBe(true);
      const seller = await makeUser(t.http, 'seller');
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) ids.push((await insertProduct(t.ds, seller.id)).id);
      // the main connection never checkpoints now, so the new rows reach the database file only
      // through the worker (a report of the worker from before the inserts proves nothing)
      await until(
        'the worker to copy the new rows into the database file',
        () => inDatabaseFile(t.env.DATABASE_PATH, ids) === ids.length,
      );
      expect(autoCheckpoint(t)).toBe(0);
    });

    it('when the worker dies SQLite checkpoints by itself again, and writes go on', async () => {
      const cp = t.app.get(SqliteCheckpointer);
      await until('the worker to start', () => autoCheckpoint(t) === 0);
      await (cp as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await until('the automatic checkpoint', () => autoCheckpoint(t) === 1000);
      expect(cp.running).toBe(false);
      const seller = await makeUser(t.http, 'seller');
      await insertProduct(t.ds, seller.id);
    });
  }
});
