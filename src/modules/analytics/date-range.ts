import { DomainError } from '../../common/errors/domain-error';
import {
  dateKeyOf,
  DEFAULT_TIME_ZONE,
  localDateOf,
  localMidnight,
  zoneOrRefuse,
} from '../../common/time/time-zone';
import type { Period, ReportRange } from '../../database/report-window';
import { PERIODS } from '../../database/report-window';

export { DEFAULT_TIME_ZONE, PERIODS };
export type { Period, ReportRange };

const DAY_MS = 86_400_000;
/** The longest range a report may cover (about three years). */
export const MAX_RANGE_DAYS = 3 * 366;
export const DEFAULT_RANGE_DAYS = 30;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date is its local midnight in `tz`; a date-time is the instant it names. */
function parseInstant(value: string, name: string, tz: string): Date {
  const day = DATE_ONLY.exec(value);
  const d = day
    ? localMidnight(Number(day[1]), Number(day[2]) - 1, Number(day[3]), tz)
    : new Date(value);
  if (Number.isNaN(d.getTime())) throw new DomainError('BAD_REQUEST', `${name} is not a date`);
  return d;
}

/** The local midnight `days` days after the local date of `d` (negative: before). */
function midnightAfter(d: Date, days: number, tz: string): Date {
  const l = localDateOf(d, tz);
  return localMidnight(l.year, l.month, l.day + days, tz);
}

/**
 * Resolves the report query. `from` and `to` are ISO 8601 dates (or date-times); a date is local
 * midnight in `tz` (default Asia/Almaty) and a date-only `to` includes that whole local day.
 * Defaults: the last 30 local days, today included. An unknown `tz`, `from` after `to`, or a
 * range longer than about three years, is a 400.
 */
export function resolveRange(
  q: { from?: string; to?: string; period?: Period; tz?: string },
  now: Date = new Date(),
): ReportRange {
  const tz = zoneOrRefuse(q.tz);
  const period = q.period ?? 'day';
  let to: Date;
  if (q.to === undefined) to = midnightAfter(now, 1, tz);
  else if (DATE_ONLY.test(q.to)) to = midnightAfter(parseInstant(q.to, 'to', tz), 1, tz);
  else to = new Date(parseInstant(q.to, 'to', tz).getTime() + 1); // an instant is included
  const from =
    q.from === undefined
      ? midnightAfter(new Date(to.getTime() - 1), 1 - DEFAULT_RANGE_DAYS, tz)
      : parseInstant(q.from, 'from', tz);
  if (from.getTime() >= to.getTime()) {
    throw new DomainError('BAD_REQUEST', 'from must not be after to');
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new DomainError('BAD_REQUEST', `The range may span at most ${MAX_RANGE_DAYS} days`);
  }
  return { from, to, period, tz };
}

/** The start of the bucket holding `d`: its local midnight, Monday's, or the 1st's, in `tz`. */
export function bucketStart(d: Date, period: Period, tz: string): Date {
  const l = localDateOf(d, tz);
  switch (period) {
    case 'day':
      return localMidnight(l.year, l.month, l.day, tz);
    case 'week':
      return localMidnight(l.year, l.month, l.day - ((l.weekday + 6) % 7), tz);
    case 'month':
      return localMidnight(l.year, l.month, 1, tz);
  }
}

function nextBucket(start: Date, period: Period, tz: string): Date {
  const l = localDateOf(start, tz);
  switch (period) {
    case 'day':
      return localMidnight(l.year, l.month, l.day + 1, tz);
    case 'week':
      return localMidnight(l.year, l.month, l.day + 7, tz);
    case 'month':
      return localMidnight(l.year, l.month + 1, 1, tz);
  }
}

/** `YYYY-MM-DD` of the local date of `d` in `tz`. */
export const dateKey = (d: Date, tz: string) => dateKeyOf(localDateOf(d, tz));

/** Every bucket key (`YYYY-MM-DD` of its local start) that the range touches, in order. */
export function bucketKeys(r: ReportRange): string[] {
  const keys: string[] = [];
  for (let b = bucketStart(r.from, r.period, r.tz); b < r.to; b = nextBucket(b, r.period, r.tz)) {
    keys.push(dateKey(b, r.tz));
  }
  return keys;
}
