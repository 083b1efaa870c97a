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
      for (let i = 0; i < 50; i++) await insertProduct(t.ds, seller.id);
      // every frame written so far ends up copied into the database file by the worker
      await until(
        'a complete checkpoint',
        () => !!cp.last && cp.last.log > 0 && cp.last.checkpointed === cp.last.log,
      );
      const [{ n }] = (await t.ds.query('SELECT COUNT(*) AS n FROM products')) as { n: number }[];
      expect(Number(n)).toBeGreaterThanOrEqual(50);
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
