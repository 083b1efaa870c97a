import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SqliteCheckpointer } from '../../src/database/sqlite-checkpointer';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Metrics } from '../../src/observability/metrics';
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

/** The main connection's statements (better-sqlite3), for writes below TypeORM. */
const rawOf = (t: TestApp) =>
  sqliteOf(t) as unknown as {
    exec(sql: string): void;
    prepare(sql: string): { run(...p: unknown[]): unknown };
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

// SQLite's WAL only (on PostgreSQL the first describe checks that no worker starts)
if (!isPgRun())
  describe('SQLite WAL under writes that never pause (e2e)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ SQLITE_WAL_MAX_MB: '1' });
    });
    afterAll(() => t?.close());

    it('starts over once it passes SQLITE_WAL_MAX_MB instead of growing with every commit', async () => {
      await until('the worker to start', () => autoCheckpoint(t) === 0);
      const db = rawOf(t);
      db.exec('CREATE TABLE wal_filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
      const insert = db.prepare('INSERT INTO wal_filler (body) VALUES (?)');
      const body = Buffer.alloc(16 * 1024, 7); // four overflow pages and a leaf: ≥ 20 KiB of WAL
      const wal = `${t.env.DATABASE_PATH}-wal`;
      // ≥ 30 MB of frames in commits a millisecond apart: a PASSIVE checkpoint never finds every
      // frame copied when a write begins, so without the RESTART the file holds all of them
      let largest = 0;
      for (let i = 0; i < 1500; i++) {
        insert.run(body);
        if (i % 50 === 0) largest = Math.max(largest, statSync(wal).size);
        await new Promise((r) => setTimeout(r, 1));
      }
      largest = Math.max(largest, statSync(wal).size);
      expect(largest).toBeGreaterThan(1024 * 1024); // it did pass the limit
      expect(largest).toBeLessThan(8 * 1024 * 1024);
      // and what was written is all there
      const n = (sqliteOf(t) as unknown as { prepare(s: string): { get(): unknown } })
        .prepare('SELECT COUNT(*) AS n FROM wal_filler')
        .get() as { n: number };
      expect(n.n).toBe(1500);
    });

    it('shrinks the file back to SQLITE_WAL_MAX_MB after one large transaction has grown it', async () => {
      const db = rawOf(t);
      db.exec('CREATE TABLE IF NOT EXISTS wal_filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
      const insert = db.prepare('INSERT INTO wal_filler (body) VALUES (?)');
      const body = Buffer.alloc(16 * 1024, 6);
      const wal = `${t.env.DATABASE_PATH}-wal`;
      // one transaction (a migration, a bulk import): its frames all go to the WAL before the
      // commit, so the file grows to ~15 MB whatever the limit (less what an earlier write left:
      // a WAL that just started over is written from its start)
      db.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < 900; i++) insert.run(body);
      db.exec('COMMIT');
      expect(statSync(wal).size).toBeGreaterThan(8 * 1024 * 1024);
      // once the WAL starts over, the write that starts it cuts the file to the limit (1 MB)
      await until(
        'the WAL file to shrink',
        () => {
          insert.run(Buffer.alloc(64, 1));
          return statSync(wal).size <= 1024 * 1024 + 64 * 1024;
        },
        15_000,
      );
    });

    it('a reader that holds an old snapshot keeps the WAL long, and never stalls the writers', async () => {
      const db = rawOf(t);
      db.exec('CREATE TABLE IF NOT EXISTS wal_filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
      const insert = db.prepare('INSERT INTO wal_filler (body) VALUES (?)');
      const body = Buffer.alloc(16 * 1024, 8);
      // another process's long read (a report, a backup): its snapshot needs the WAL's frames
      const reader = new Database(t.env.DATABASE_PATH) as unknown as {
        exec(sql: string): void;
        prepare(sql: string): { get(): unknown };
        close(): void;
      };
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM wal_filler').get();
      let slowest = 0;
      try {
        for (let i = 0; i < 400; i++) {
          const t0 = process.hrtime.bigint();
          insert.run(body);
          slowest = Math.max(slowest, Number(process.hrtime.bigint() - t0) / 1e6);
          await new Promise((r) => setTimeout(r, 1));
        }
      } finally {
        reader.exec('COMMIT');
        reader.close();
      }
      // a RESTART that waited the 5 s busy timeout for the reader would hold every writer as long
      expect(slowest).toBeLessThan(250);
    });

    it('restarts between the writes of its process: none of them meets the lock', async () => {
      const restartsCounter = t.app
        .get(Metrics)
        .counter({ name: 'bibarys_sqlite_wal_restarts_total', help: '' });
      const restartCount = async () => (await restartsCounter.get()).values[0]?.value ?? 0;
      const restartsBefore = await restartCount();
      rawOf(t).exec(
        'CREATE TABLE IF NOT EXISTS wal_filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)',
      );
      const uow = t.app.get(UnitOfWork);
      const body = Buffer.alloc(16 * 1024, 9);
      // no busy timeout on the main connection: a BEGIN IMMEDIATE that meets the worker's write
      // lock fails at once instead of sleeping in SQLite's busy handler, so every meeting shows
      sqliteOf(t).pragma('busy_timeout = 0');
      const failed: string[] = [];
      try {
        for (let i = 0; i < 1500; i++) {
          await uow
            .run((tx) => tx.query('INSERT INTO wal_filler (body) VALUES (?)', [body]))
            .catch((e: Error) => failed.push(e.message));
          await new Promise((r) => setTimeout(r, 1));
        }
      } finally {
        sqliteOf(t).pragma(`busy_timeout = 5000`);
      }
      expect(await restartCount()).toBeGreaterThanOrEqual(restartsBefore + 5);
      expect(failed).toEqual([]);
    });
  });
