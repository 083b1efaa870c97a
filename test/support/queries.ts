import type { DataSource } from 'typeorm';

export interface RecordedQuery {
  sql: string;
  params: unknown[];
  /** The query runner (connection) that ran it: one per transaction. */
  runner?: unknown;
}

/**
 * The statements `fn` makes the app run, in order, with their parameters (from TypeORM's logger,
 * which sees every statement, transactions' BEGIN/COMMIT included).
 */
export async function recordQueries(
  ds: DataSource,
  fn: () => Promise<unknown>,
): Promise<RecordedQuery[]> {
  const seen: RecordedQuery[] = [];
  const spy = jest
    .spyOn(ds.logger, 'logQuery')
    .mockImplementation((sql: string, params?: unknown, runner?: unknown) => {
      seen.push({ sql, params: Array.isArray(params) ? params : [], runner });
    });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

/**
 * The statements of the connection (query runner) that ran the first statement matching `first`:
 * one transaction's story, without what a background job ran on another connection meanwhile
 * (on PostgreSQL a sweep's BEGIN/COMMIT can land between two statements of the request).
 */
export function onRunnerOf(
  log: RecordedQuery[],
  first: (q: RecordedQuery) => boolean,
): RecordedQuery[] {
  const hit = log.find(first);
  return hit ? log.filter((q) => q.runner === hit.runner) : [];
}
