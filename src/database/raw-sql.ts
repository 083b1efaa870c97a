import type { EntityManager } from 'typeorm';

/**
 * Helpers for the few hot-path statements repositories write as SQL text (checkout, the cart):
 * no query building and no entity hydration per call, and the same text every time, so
 * better-sqlite3's statement cache and PostgreSQL's plans are reused. Only repositories use them.
 * Raw statements are not seen by entity subscribers: never use them on a table whose writes a
 * cache watches (`products`, `users`).
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

/**
 * A Date as a timestamp parameter: PostgreSQL takes the Date; SQLite stores UTC text with
 * milliseconds (`YYYY-MM-DD HH:MM:SS.mmm`), exactly as TypeORM writes a `datetime` column.
 */
export const timestampParam = (pg: boolean, d: Date): Date | string =>
  pg ? d : d.toISOString().slice(0, 23).replace('T', ' ');

/** A timestamp read raw: a Date from PostgreSQL, SQLite's UTC text (read as TypeORM reads it). */
export function timestampValue(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}

/** A column of a raw insert: its name and the property of the row object it takes. */
export type ColumnOf<T> = readonly [column: string, property: keyof T];

/**
 * Inserts `rows` in one multi-row INSERT of fixed text (see `insertSql`): each column takes its
 * property of the row, a Date as `timestampParam` makes it. Nothing is read back, and entity
 * subscribers do not see it (see above).
 */
export async function insertValues<T>(
  em: EntityManager,
  table: string,
  columns: readonly ColumnOf<T>[],
  rows: readonly T[],
): Promise<void> {
  if (!rows.length) return;
  const pg = isPostgres(em);
  const params = rows.flatMap((r) =>
    columns.map(([, p]) => {
      const v = r[p];
      return v instanceof Date ? timestampParam(pg, v) : v;
    }),
  );
  const names = columns.map(([c]) => c);
  await em.query(insertSql(pg, table, names, rows.length), params);
}
