/**
 * Calendar arithmetic in an IANA time zone, from the runtime's own zone data (Intl): local
 * midnights, local dates, and the spans of a constant UTC offset, so that reports bucket by the
 * local day, week or month on SQLite and PostgreSQL alike (neither database's zone data is used).
 */
import { fieldsRefused } from '../errors/validation-errors';

export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when `tz` is an IANA zone this runtime knows (`UTC` included). */
export function isTimeZone(tz: string): boolean {
  if (formatters.has(tz)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(tz)) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The zone a request asked for: `tz` when it is an IANA zone (a 400 naming `tz` otherwise). */
export function zoneOrRefuse(tz: string | undefined): string {
  if (tz === undefined) return DEFAULT_TIME_ZONE;
  if (!isTimeZone(tz)) {
    throw fieldsRefused('INVALID_TIME_ZONE', [
      { field: 'tz', code: 'INVALID_TIME_ZONE', message: `tz must be an IANA time zone (${tz})` },
    ]);
  }
  return tz;
}

/** The wall clock of `instant` in `tz`, as if it were UTC (ms). */
function wallClock(tz: string, instant: number): number {
  const parts = formatter(tz).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/** The zone's offset from UTC at `instant`, in ms (Asia/Almaty in 2025: +5 h). */
export function offsetMs(tz: string, instant: number): number {
  return wallClock(tz, instant) - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant of local midnight starting day `day` of `month` (0-based) of `year` in `tz`.
 * Out-of-range days and months roll over as in Date.UTC (day 0 is the last of the month before).
 */
export function localMidnight(year: number, month: number, day: number, tz: string): Date {
  const wall = Date.UTC(year, month, day);
  let t = wall - offsetMs(tz, wall);
  // the offset at the guess may differ from the one at the answer (a change near midnight)
  t = wall - offsetMs(tz, t);
  return new Date(t);
}

export interface LocalDate {
  year: number;
  /** 0-based */
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** The local calendar date of `d` in `tz`. */
export function localDateOf(d: Date, tz: string): LocalDate {
  const wall = new Date(wallClock(tz, d.getTime()));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth(),
    day: wall.getUTCDate(),
    weekday: wall.getUTCDay(),
  };
}

/** `YYYY-MM-DD` of a local date. */
export const dateKeyOf = (l: Pick<LocalDate, 'year' | 'month' | 'day'>): string =>
  new Date(Date.UTC(l.year, l.month, l.day)).toISOString().slice(0, 10);

/** A stretch of time in which `tz` keeps one offset: from `from` (inclusive) to the next span. */
export interface OffsetSpan {
  from: Date;
  offsetMinutes: number;
}

/**
 * The constant-offset spans of `tz` over [from, to), in order; the first starts at `from`.
 * Offsets are sampled weekly (no zone changes its offset twice in a week) and each change is
 * found to the minute by bisection.
 */
export function offsetSpans(from: Date, to: Date, tz: string): OffsetSpan[] {
  const minutes = (t: number) => Math.round(offsetMs(tz, t) / 60_000);
  const spans: OffsetSpan[] = [{ from, offsetMinutes: minutes(from.getTime()) }];
  let prev = from.getTime();
  while (prev < to.getTime()) {
    const next = Math.min(prev + 7 * DAY_MS, to.getTime());
    const current = spans[spans.length - 1].offsetMinutes;
    if (minutes(next) !== current) {
      // bisect on whole minutes (zones change their offset on a minute boundary)
      let lo = Math.floor(prev / 60_000);
      let hi = Math.ceil(next / 60_000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (minutes(mid * 60_000) === current) lo = mid;
        else hi = mid;
      }
      const at = hi * 60_000;
      if (at < to.getTime()) spans.push({ from: new Date(at), offsetMinutes: minutes(at) });
    }
    prev = next;
  }
  return spans;
}
