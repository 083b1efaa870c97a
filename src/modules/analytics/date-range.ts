import { DomainError } from '../../common/errors/domain-error';
import type { Period, ReportRange } from '../../database/report-window';
import { PERIODS } from '../../database/report-window';

export { PERIODS };
export type { Period, ReportRange };

const DAY_MS = 86_400_000;
/** The longest range a report may cover (about three years). */
export const MAX_RANGE_DAYS = 3 * 366;
export const DEFAULT_RANGE_DAYS = 30;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseInstant(value: string, name: string): Date {
  const d = new Date(DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(d.getTime())) throw new DomainError('BAD_REQUEST', `${name} is not a date`);
  return d;
}

const startOfUtcDay = (d: Date) =>
  new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * Resolves the report query. `from` and `to` are ISO 8601 dates (or date-times); a date-only `to`
 * includes that whole day. Defaults: the last 30 days, today included. `from` after `to`, or a
 * range longer than about three years, is a 400.
 */
export function resolveRange(
  q: { from?: string; to?: string; period?: Period },
  now: Date = new Date(),
): ReportRange {
  const period = q.period ?? 'day';
  let to: Date;
  if (q.to === undefined) to = new Date(startOfUtcDay(now).getTime() + DAY_MS);
  else if (DATE_ONLY.test(q.to)) to = new Date(parseInstant(q.to, 'to').getTime() + DAY_MS);
  else to = new Date(parseInstant(q.to, 'to').getTime() + 1); // an instant is included
  const from =
    q.from === undefined
      ? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS)
      : parseInstant(q.from, 'from');
  if (from.getTime() >= to.getTime()) {
    throw new DomainError('BAD_REQUEST', 'from must not be after to');
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new DomainError('BAD_REQUEST', `The range may span at most ${MAX_RANGE_DAYS} days`);
  }
  return { from, to, period };
}

/** The UTC start of the bucket holding `d` (weeks start on Monday). */
export function bucketStart(d: Date, period: Period): Date {
  switch (period) {
    case 'day':
      return startOfUtcDay(d);
    case 'week': {
      const day = startOfUtcDay(d);
      const sinceMonday = (day.getUTCDay() + 6) % 7;
      return new Date(day.getTime() - sinceMonday * DAY_MS);
    }
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  }
}

function nextBucket(d: Date, period: Period): Date {
  switch (period) {
    case 'day':
      return new Date(d.getTime() + DAY_MS);
    case 'week':
      return new Date(d.getTime() + 7 * DAY_MS);
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
}

export const dateKey = (d: Date) => d.toISOString().slice(0, 10);

/** Every bucket key (`YYYY-MM-DD` of its start) that the range touches, in order. */
export function bucketKeys(r: ReportRange): string[] {
  const keys: string[] = [];
  for (let b = bucketStart(r.from, r.period); b < r.to; b = nextBucket(b, r.period)) {
    keys.push(dateKey(b));
  }
  return keys;
}
