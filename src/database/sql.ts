import { DataSource, EntityManager, EntityTarget, In, ObjectLiteral } from 'typeorm';

/** A timestamp parameter as each engine compares it with stored values. */
export const sqlTime = (pg: boolean, d: Date): string =>
  pg ? d.toISOString() : d.toISOString().replace('T', ' ').replace('Z', '');

/** Runs SQL with `:named` parameters on the transaction (or the data source). */
export async function rows<T>(
  ds: DataSource,
  em: EntityManager,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const [q, p] = ds.driver.escapeQueryWithParameters(sql, params);
  return em.query(q, p);
}

/** Slices of at most `size`, so a statement never passes the engines' parameter limits. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A timestamp as either driver returns it raw (PostgreSQL: Date; SQLite: "YYYY-MM-DD HH:MM:SS.sss" UTC). */
export const sqlDate = (v: unknown): Date =>
  v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T').replace(/Z?$/, 'Z')}`);

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/**
 * Helpers for the few hot-path statements repositories write as SQL text (checkout, the cart):
 * no query building and no entity hydration per call, and the same text every time, so
 * better-sqlite3's statement cache and PostgreSQL's plans are reused. Only repositories use them.
 * Raw statements are not seen by entity subscribers: never use them to write a table a cache
 * watches (`products`, `users`) unless the repository broadcasts the write as TypeORM would
 * (`ProductsRepository.takeStock`).
 */
export const isPostgres = (em: EntityManager): boolean => em.connection.options.type === 'postgres';

const cache = new Map<string, string>();

/**
 * `INSERT INTO "table" ("c1", …) VALUES (…), (…)` for `rows` rows, in the driver's placeholder
 * syntax (`$n` or `?`); the text is built once per (table, columns, rows, driver).
 */
export function insertSql(pg: boolean, table: string, columns: readonly string[], rows: number) {
  const key = `${pg ? 'p' : 's'}|${table}|${columns.join(',')}|${rows}`;
  let sql = cache.get(key);
  if (!sql) {
    let n = 0;
    const row = () => `(${columns.map(() => (pg ? `$${++n}` : '?')).join(', ')})`;
    const values = Array.from({ length: rows }, row).join(', ');
    const names = columns.map((c) => `"${c}"`).join(', ');
    sql = `INSERT INTO "${table}" (${names}) VALUES ${values}`;
    cache.set(key, sql);
  }
  return sql;
}

/** `$1, $2, …` or `?, ?, …`: `count` placeholders after the first `offset` parameters. */
export function placeholders(pg: boolean, count: number, offset = 0): string {
  return Array.from({ length: count }, (_, i) => (pg ? `$${offset + i + 1}` : '?')).join(', ');
}

/** A column of a raw insert: its name and the property of the row object it takes. */
export type ColumnOf<T> = readonly [column: string, property: keyof T];

/**
 * Inserts `rows` in one multi-row INSERT of fixed text (see `insertSql`): each column takes its
 * property of the row, a Date as `sqlTime` makes it. Nothing is read back, and entity
 * subscribers do not see it (see above). In a transaction under `batchWrites` it is held back
 * unless `now` (an insert whose error the caller catches, or that others must wait on).
 */
export async function insertValues<T>(
  em: EntityManager,
  table: string,
  columns: readonly ColumnOf<T>[],
  rows: readonly T[],
  { now = false }: { now?: boolean } = {},
): Promise<void> {
  if (!rows.length) return;
  const w = insertWrite(isPostgres(em), { table, columns, rows });
  await (now ? em.query(w.sql, w.params) : write(em, w.sql, w.params));
}

/** The INSERT of `part` (see `insertSql`) and its parameters, a Date as `sqlTime` makes it. */
function insertWrite<T>(pg: boolean, part: InsertPart<T>): HeldWrite {
  const params = part.rows.flatMap((r) =>
    part.columns.map(([, p]) => {
      const v = r[p];
      return v instanceof Date ? sqlTime(pg, v) : v;
    }),
  );
  const names = part.columns.map(([c]) => c);
  return { sql: insertSql(pg, part.table, names, part.rows.length), params };
}

/** A write whose result nothing reads, held back by `batchWrites` until `flushWrites`. */
interface HeldWrite {
  sql: string;
  params: unknown[];
}

const held = new WeakMap<EntityManager, HeldWrite[]>();

/**
 * From now on in PostgreSQL transaction `tx`, the writes made through `write` (and so
 * `insertValues` and `insertValuesTogether`) are held back and sent as ONE statement by
 * `flushWrites`, which `UnitOfWork` calls before the COMMIT: one round trip instead of one per
 * write. Only for a transaction that reads none of those rows back after writing them (the
 * statements of one flush share a snapshot and cannot see one another's rows) and that needs no
 * error of theirs at the call site (a constraint they break fails the flush, so the whole
 * transaction, as it would have failed at the call). SQLite (nothing to save: no round trips)
 * ignores it, and writes go out at once.
 */
export function batchWrites(tx: EntityManager): void {
  if (isPostgres(tx) && !held.has(tx)) held.set(tx, []);
}

/**
 * Runs an INSERT, UPDATE or DELETE (`$n` or `?` placeholders, no RETURNING, no `$` in its text
 * but the placeholders) whose result nobody reads: at once, or held for the batch `tx` is in.
 */
export async function write(em: EntityManager, sql: string, params: unknown[]): Promise<void> {
  const batch = held.get(em);
  if (batch) batch.push({ sql, params });
  else await em.query(sql, params);
}

const flushCache = new Map<string, string>();
/** Distinct shapes of flushed batches kept (an order's shape varies with its lines and sellers). */
const FLUSH_SHAPES = 512;

/**
 * `writes` as one statement: all but the last as data-modifying CTEs in front of the last, the
 * placeholders renumbered; the text is built once per shape.
 */
function together(writes: readonly HeldWrite[]): HeldWrite {
  const key = writes.map((w) => `${w.params.length}:${w.sql}`).join('\u0000');
  let sql = flushCache.get(key);
  if (!sql) {
    let offset = 0;
    const parts = writes.map((w) => {
      const at = offset;
      offset += w.params.length;
      return w.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + at}`);
    });
    const ctes = parts.slice(0, -1).map((q, i) => `w${i} AS (${q})`);
    sql = `WITH ${ctes.join(', ')} ${parts[parts.length - 1]}`;
    if (flushCache.size >= FLUSH_SHAPES) flushCache.clear();
    flushCache.set(key, sql);
  }
  return { sql, params: writes.flatMap((w) => w.params) };
}

/**
 * Sends the writes `tx` holds (see `batchWrites`) as one statement, in order. Foreign keys
 * between them are checked at the end of the statement, so a child may follow its parent.
 * Nothing held: nothing sent.
 */
export async function flushWrites(tx: EntityManager): Promise<void> {
  const batch = held.get(tx);
  if (!batch?.length) return;
  held.set(tx, []);
  const w = batch.length === 1 ? batch[0] : together(batch);
  await tx.query(w.sql, w.params);
}

/**
 * Runs the statement `sql` (PostgreSQL `$n` placeholders) with the writes `tx` holds in front of
 * it, in one round trip, and answers its result as `tx.query` would (the CTEs leave it as it
 * is). It must not read what they write: they share its snapshot. Nothing held: the statement
 * alone.
 */
export async function queryWithHeldWrites(
  tx: EntityManager,
  sql: string,
  params: unknown[],
): Promise<unknown> {
  const batch = held.get(tx);
  if (!batch?.length) return tx.query(sql, params);
  held.set(tx, []);
  const w = together([...batch, { sql, params }]);
  return tx.query(w.sql, w.params);
}

/** One table's rows for `insertValuesTogether`. */
export interface InsertPart<T> {
  table: string;
  columns: readonly ColumnOf<T>[];
  rows: readonly T[];
}

/**
 * Inserts rows into several tables as `insertValues` does each, in the order given. On
 * PostgreSQL as ONE statement (the first tables as data-modifying CTEs: one round trip instead of
 * one per table; foreign keys between them are checked at the end of the statement, so a child
 * may follow its parent); on SQLite (no DML in CTEs, and no round trips to save) one statement
 * per table. Parts without rows are left out. In a transaction under `batchWrites` the parts join
 * its batch instead.
 */
export async function insertValuesTogether(
  em: EntityManager,
  parts: readonly InsertPart<any>[],
): Promise<void> {
  const live = parts.filter((p) => p.rows.length);
  if (!isPostgres(em) || live.length < 2 || held.has(em)) {
    for (const p of live) await insertValues(em, p.table, p.columns, p.rows);
    return;
  }
  const w = together(live.map((p) => insertWrite(true, p)));
  await em.query(w.sql, w.params);
}

/**
 * Deletes at most `limit` rows of `target` matching `where` (an SQL condition on alias `r`), by
 * their `key` column: a purge in bounded steps. Answers how many it deleted.
 */
export async function deleteSome<T extends ObjectLiteral>(
  tx: EntityManager,
  target: EntityTarget<T>,
  key: { column: string; property: keyof T & string },
  where: string,
  params: Record<string, unknown>,
  limit: number,
): Promise<number> {
  const found = await tx
    .createQueryBuilder(target, 'r')
    .select(`r.${key.column}`, 'k')
    .where(where, params)
    .limit(limit)
    .getRawMany<{ k: unknown }>();
  if (!found.length) return 0;
  await tx.delete(target, { [key.property]: In(found.map((r) => r.k)) } as never);
  return found.length;
}
