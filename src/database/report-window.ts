import type { DataSource } from 'typeorm';

import { offsetSpans } from '../common/time/time-zone';

/**
 * Reporting over time, as the owners' read queries (orders, users) take it: a half-open UTC
 * window and the SQL that buckets a timestamp column by local day, week or month of a time zone,
 * the same key on SQLite and PostgreSQL. Resolving a report's query into a window stays with
 * analytics.
 */
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** A half-open UTC interval [from, to), the size of its buckets and the zone they are local to. */
export interface ReportRange {
  from: Date;
  to: Date;
  period: Period;
  /** IANA zone whose local midnights start the buckets (validated by whoever built the range) */
  tz: string;
}

export type SqlParams = Record<string, unknown>;

/**
 * SQL for the bucket key (`YYYY-MM-DD` of the bucket's local start in `range.tz`) of a timestamp
 * column, the same key on both databases. SQLite stores UTC text; PostgreSQL a timestamptz. The
 * zone's offsets come from the runtime (offsetSpans), never from the database: the column is
 * shifted by the offset in force at its instant (a CASE over the range's offset changes), then
 * bucketed as a wall-clock time. Only numbers and formatted instants go into the text.
 */
export function periodKeySql(pg: boolean, range: ReportRange, column: string): string {
  const spans = offsetSpans(range.from, range.to, range.tz);
  let minutes = String(spans[spans.length - 1].offsetMinutes);
  for (let i = spans.length - 1; i > 0; i--) {
    const change = pg
      ? `TIMESTAMPTZ '${spans[i].from.toISOString()}'`
      : `'${sqlTime(false, spans[i].from)}'`;
    minutes = `CASE WHEN ${column} < ${change} THEN ${spans[i - 1].offsetMinutes} ELSE ${minutes} END`;
  }
  if (pg) {
    const local = `(${column} AT TIME ZONE 'UTC' + make_interval(mins => ${minutes}))`;
    return `to_char(date_trunc('${range.period}', ${local}), 'YYYY-MM-DD')`;
  }
  const local =
    spans.length === 1
      ? `datetime(${column}, '${minutes} minutes')`
      : `datetime(${column}, (${minutes}) || ' minutes')`;
  switch (range.period) {
    case 'day':
      return `strftime('%Y-%m-%d', ${local})`;
    case 'week':
      return `date(${local}, '-' || ((CAST(strftime('%w', ${local}) AS INTEGER) + 6) % 7) || ' days')`;
    case 'month':
      return `strftime('%Y-%m-01', ${local})`;
  }
}

/** A time as a bind parameter: UTC text for SQLite (as stored), ISO for PostgreSQL. */
export const sqlTime = (pg: boolean, d: Date): string =>
  pg ? d.toISOString() : d.toISOString().replace('T', ' ').replace('Z', '');

/**
 * A grouped read query in plain SQL with `:named` parameters (`:...list` for IN lists), for the
 * reporting reads that the query builder cannot express on both databases.
 */
export class ReportSql {
  constructor(private readonly ds: DataSource) {}

  get pg(): boolean {
    return this.ds.options.type === 'postgres';
  }

  async rows<T = Record<string, unknown>>(sql: string, params: SqlParams = {}): Promise<T[]> {
    const [q, p] = this.ds.driver.escapeQueryWithParameters(sql, params);
    return this.ds.query(q, p);
  }

  /** ` AND column >= :from AND column < :to` and its parameters (nothing for all time). */
  window(range: ReportRange | null, column: string): [string, SqlParams] {
    if (!range) return ['', {}];
    return [
      ` AND ${column} >= :from AND ${column} < :to`,
      { from: sqlTime(this.pg, range.from), to: sqlTime(this.pg, range.to) },
    ];
  }

  periodKey(range: ReportRange, column: string): string {
    return periodKeySql(this.pg, range, column);
  }
}
