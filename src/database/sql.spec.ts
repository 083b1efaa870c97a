import type { EntityManager } from 'typeorm';

import {
  batchWrites,
  flushWrites,
  insertSql,
  insertValues,
  insertValuesTogether,
  placeholders,
  queryWithHeldWrites,
  sqlDate,
  sqlTime,
  write,
} from './sql';

describe('raw SQL helpers', () => {
  it('builds a multi-row INSERT in each driver’s placeholder syntax, quoted', () => {
    expect(insertSql(false, 'orders', ['id', 'user_id'], 2)).toBe(
      'INSERT INTO "orders" ("id", "user_id") VALUES (?, ?), (?, ?)',
    );
    expect(insertSql(true, 'orders', ['id', 'user_id'], 2)).toBe(
      'INSERT INTO "orders" ("id", "user_id") VALUES ($1, $2), ($3, $4)',
    );
    expect(placeholders(true, 3)).toBe('$1, $2, $3');
    expect(placeholders(false, 2)).toBe('?, ?');
  });

  it('writes a timestamp as TypeORM writes a SQLite datetime and reads it back to the ms', () => {
    const d = new Date('2026-12-01T05:06:07.089Z');
    expect(sqlTime(false, d)).toBe('2026-12-01 05:06:07.089');
    expect(sqlDate(sqlTime(false, d)).toISOString()).toBe(d.toISOString());
    expect(sqlDate('2026-12-01 05:06:07').toISOString()).toBe('2026-12-01T05:06:07.000Z');
    expect(sqlDate(d)).toBe(d);
  });
});

/** A manager of `type` that records what it is asked to run. */
function manager(type: 'postgres' | 'better-sqlite3') {
  const ran: { sql: string; params: unknown[] }[] = [];
  const em = {
    connection: { options: { type } },
    query: (sql: string, params: unknown[]) => {
      ran.push({ sql, params });
      return Promise.resolve([[], 1]);
    },
  } as unknown as EntityManager;
  return { em, ran };
}

describe('held writes (batchWrites, write, flushWrites, queryWithHeldWrites)', () => {
  it('without batchWrites, a write goes out at once', async () => {
    const { em, ran } = manager('postgres');
    await write(em, 'DELETE FROM "a" WHERE "x" = $1', [1]);
    expect(ran).toEqual([{ sql: 'DELETE FROM "a" WHERE "x" = $1', params: [1] }]);
  });

  it('PostgreSQL: held writes leave as one statement, in order, the placeholders renumbered', async () => {
    const { em, ran } = manager('postgres');
    batchWrites(em);
    await write(em, 'DELETE FROM "a" WHERE "x" = $1', [1]);
    await insertValues(
      em,
      'b',
      [['c', 'c'] as const, ['d', 'd'] as const],
      [
        { c: 2, d: new Date('2026-12-02T00:00:00.000Z') },
        { c: 3, d: null },
      ],
    );
    await write(em, 'UPDATE "e" SET "f" = $1 WHERE "g" = $2 AND "h" >= $1', [4, 5]);
    expect(ran).toEqual([]);
    await flushWrites(em);
    expect(ran).toEqual([
      {
        sql:
          'WITH w0 AS (DELETE FROM "a" WHERE "x" = $1), ' +
          'w1 AS (INSERT INTO "b" ("c", "d") VALUES ($2, $3), ($4, $5)) ' +
          'UPDATE "e" SET "f" = $6 WHERE "g" = $7 AND "h" >= $6',
        params: [1, 2, '2026-12-02T00:00:00.000Z', 3, null, 4, 5],
      },
    ]);
    await flushWrites(em); // nothing left: nothing sent
    expect(ran).toHaveLength(1);
  });

  it('a statement whose result is read carries the held writes and answers its own result', async () => {
    const { em, ran } = manager('postgres');
    expect(await queryWithHeldWrites(em, 'UPDATE "p" SET "q" = $1', [1])).toEqual([[], 1]);
    expect(ran.pop()).toEqual({ sql: 'UPDATE "p" SET "q" = $1', params: [1] }); // none held
    batchWrites(em);
    await write(em, 'DELETE FROM "a" WHERE "x" = $1', ['a']);
    expect(await queryWithHeldWrites(em, 'UPDATE "p" SET "q" = $1 WHERE "r" = $2', [7, 8])).toEqual(
      [[], 1],
    );
    expect(ran).toEqual([
      {
        sql: 'WITH w0 AS (DELETE FROM "a" WHERE "x" = $1) UPDATE "p" SET "q" = $2 WHERE "r" = $3',
        params: ['a', 7, 8],
      },
    ]);
    await flushWrites(em);
    expect(ran).toHaveLength(1); // sent once, not again at the commit
  });

  it('one held write goes alone; `now` is never held', async () => {
    const { em, ran } = manager('postgres');
    batchWrites(em);
    await insertValues(em, 'k', [['a', 'a'] as const], [{ a: 1 }], { now: true });
    expect(ran).toEqual([{ sql: 'INSERT INTO "k" ("a") VALUES ($1)', params: [1] }]);
    await write(em, 'DELETE FROM "a" WHERE "x" = $1', [2]);
    await flushWrites(em);
    expect(ran[1]).toEqual({ sql: 'DELETE FROM "a" WHERE "x" = $1', params: [2] });
  });

  it('the same texts with other parameter counts are other statements', async () => {
    const { em, ran } = manager('postgres');
    for (const rows of [1, 2]) {
      batchWrites(em);
      await insertValues(em, 'b', [['c', 'c'] as const], Array(rows).fill({ c: 0 }));
      await write(em, 'DELETE FROM "a" WHERE "x" = $1', [9]);
      await flushWrites(em);
    }
    expect(ran.map((r) => r.sql)).toEqual([
      'WITH w0 AS (INSERT INTO "b" ("c") VALUES ($1)) DELETE FROM "a" WHERE "x" = $2',
      'WITH w0 AS (INSERT INTO "b" ("c") VALUES ($1), ($2)) DELETE FROM "a" WHERE "x" = $3',
    ]);
  });

  it('SQLite ignores batchWrites: every write goes out at once', async () => {
    const { em, ran } = manager('better-sqlite3');
    batchWrites(em);
    await write(em, 'DELETE FROM "a" WHERE "x" = ?', [1]);
    await insertValues(em, 'b', [['c', 'c'] as const], [{ c: 2 }]);
    expect(ran).toEqual([
      { sql: 'DELETE FROM "a" WHERE "x" = ?', params: [1] },
      { sql: 'INSERT INTO "b" ("c") VALUES (?)', params: [2] },
    ]);
    await flushWrites(em);
    expect(ran).toHaveLength(2);
  });
});

describe('insertValuesTogether', () => {
  const parts = [
    {
      table: 'a',
      columns: [['x', 'x'] as const, ['at', 'at'] as const],
      rows: [{ x: 1, at: new Date('2026-12-02T01:02:03.004Z') }],
    },
    { table: 'b', columns: [['y', 'y'] as const], rows: [] as { y: number }[] },
    { table: 'c', columns: [['y', 'y'] as const], rows: [{ y: 2 }, { y: 3 }] },
  ];

  it('PostgreSQL: the tables with rows as one statement, the placeholders renumbered', async () => {
    const { em, ran } = manager('postgres');
    await insertValuesTogether(em, parts);
    expect(ran).toEqual([
      {
        sql: 'WITH w0 AS (INSERT INTO "a" ("x", "at") VALUES ($1, $2)) INSERT INTO "c" ("y") VALUES ($3), ($4)',
        params: [1, '2026-12-02T01:02:03.004Z', 2, 3],
      },
    ]);
  });

  it('PostgreSQL under batchWrites: the parts join the batch; SQLite: one statement per table', async () => {
    const pg = manager('postgres');
    batchWrites(pg.em);
    await insertValuesTogether(pg.em, parts);
    expect(pg.ran).toEqual([]);
    await flushWrites(pg.em);
    expect(pg.ran).toHaveLength(1);

    const lite = manager('better-sqlite3');
    await insertValuesTogether(lite.em, parts);
    expect(lite.ran).toEqual([
      { sql: 'INSERT INTO "a" ("x", "at") VALUES (?, ?)', params: [1, '2026-12-02 01:02:03.004'] },
      { sql: 'INSERT INTO "c" ("y") VALUES (?), (?)', params: [2, 3] },
    ]);
  });
});
