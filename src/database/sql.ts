import { DataSource, EntityManager } from 'typeorm';

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
