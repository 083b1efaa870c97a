import type { DataSource } from 'typeorm';

/**
 * Reporting over time, as the owners' read queries (orders, users) take it: a half-open UTC
 * window and the SQL that buckets a timestamp column by day, week or month, the same key on
 * SQLite and PostgreSQL. Resolving a report's query into a window stays with analytics.
 */
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** A half-open UTC interval [from, to) and the size of its buckets. */
export interface ReportRange {
  from: Date;
  to: Date;
  period: Period;
}

export type SqlParams = Record<string, unknown>;

/**
 * SQL for the bucket key (`YYYY-MM-DD` of the bucket's UTC start) of a timestamp column, the same
 * text on both databases. SQLite stores UTC text; PostgreSQL a timestamptz.
 */
export function periodKeySql(pg: boolean, period: Period, column: string): string {
  if (pg) {
    return `to_char(date_trunc('${period}', ${column} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
  }
  switch (period) {
    case 'day':
      return `strftime('%Y-%m-%d', ${column})`;
    case 'week':
      return `date(${column}, '-' || ((CAST(strftime('%w', ${column}) AS INTEGER) + 6) % 7) || ' days')`;
    case 'month':
      return `strftime('%Y-%m-01', ${column})`;
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

  periodKey(period: Period, column: string): string {
    return periodKeySql(this.pg, period, column);
  }
}
