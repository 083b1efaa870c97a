/** The driver's error code of a failed query (PostgreSQL SQLSTATE or SQLite's extended code). */
export function driverErrorCode(e: unknown): string {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null | undefined;
  return String(err?.driverError?.code ?? err?.code ?? '');
}

const UNIQUE = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** True when a write lost to a unique index or primary key (a duplicate, often a lost race). */
export const isUniqueViolation = (e: unknown): boolean => UNIQUE.has(driverErrorCode(e));
