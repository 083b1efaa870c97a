import { DomainError } from '../../common/errors/domain-error';
import { bucketKeys, bucketStart, resolveRange } from './date-range';

const iso = (d: Date) => d.toISOString();
const UTC = { tz: 'UTC' };

describe('resolveRange', () => {
  const now = new Date('2026-11-28T12:34:56Z');

  it('defaults to the last 30 local days of Asia/Almaty (UTC+5), today included, by day', () => {
    const r = resolveRange({}, now);
    expect([iso(r.from), iso(r.to), r.period, r.tz]).toEqual([
      '2026-10-29T19:00:00.000Z',
      '2026-11-28T19:00:00.000Z',
      'day',
      'Asia/Almaty',
    ]);
    expect(bucketKeys(r)).toHaveLength(30);
    expect(bucketKeys(r).at(-1)).toBe('2026-11-28');
    // 20:00 UTC is already the 29th in Almaty: today moves with the zone
    expect(bucketKeys(resolveRange({}, new Date('2026-11-28T20:00:00Z'))).at(-1)).toBe(
      '2026-11-29',
    );
  });

  it('in UTC: the same days as before the zones', () => {
    const r = resolveRange(UTC, now);
    expect([iso(r.from), iso(r.to)]).toEqual([
      '2026-10-30T00:00:00.000Z',
      '2026-11-29T00:00:00.000Z',
    ]);
  });

  it('a date is local midnight; `to` includes its whole local day; a date-time is the instant', () => {
    const almaty = resolveRange({ from: '2026-03-01', to: '2026-03-01' }, now);
    expect([iso(almaty.from), iso(almaty.to)]).toEqual([
      '2026-02-28T19:00:00.000Z',
      '2026-03-01T19:00:00.000Z',
    ]);
    expect(iso(resolveRange({ from: '2026-03-01', to: '2026-03-01', ...UTC }, now).to)).toBe(
      '2026-03-02T00:00:00.000Z',
    );
    expect(
      iso(resolveRange({ from: '2026-03-01', to: '2026-03-01T10:00:00Z', ...UTC }, now).to),
    ).toBe('2026-03-01T10:00:00.001Z');
    expect(iso(resolveRange({ to: '2026-03-31', ...UTC }, now).from)).toBe(
      '2026-03-02T00:00:00.000Z',
    );
  });

  it('refuses an unknown zone naming tz, from after to, and ranges over about three years', () => {
    const bad = (q: Record<string, string>) => () => resolveRange(q, now);
    expect(bad({ tz: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_TIME_ZONE',
        details: { errors: [expect.objectContaining({ field: 'tz', code: 'INVALID_TIME_ZONE' })] },
      }),
    );
    expect(bad({ from: '2026-03-02', to: '2026-03-01' })).toThrow(DomainError);
    expect(bad({ from: '2020-01-01', to: '2026-01-01' })).toThrow(/at most/);
    expect(bad({ from: '2026-12-01' })).toThrow(DomainError); // after the default `to`
    expect(() => resolveRange({ from: '2023-11-29', to: '2026-11-28' }, now)).not.toThrow();
  });
});

describe('buckets', () => {
  it('starts weeks on Monday, across a year boundary', () => {
    expect(iso(bucketStart(new Date('2026-01-01T05:00:00Z'), 'week', 'UTC'))).toBe(
      '2025-12-29T00:00:00.000Z',
    );
    expect(iso(bucketStart(new Date('2026-03-08T23:59:59Z'), 'week', 'UTC'))).toBe(
      '2026-03-02T00:00:00.000Z',
    );
    expect(iso(bucketStart(new Date('2026-03-09T00:00:00Z'), 'week', 'UTC'))).toBe(
      '2026-03-09T00:00:00.000Z',
    );
  });

  it('days, weeks and months start at local midnight in the zone', () => {
    // Sunday 2026-03-08 20:00 UTC is Monday 01:00 in Almaty: a new week there
    const t = new Date('2026-03-08T20:00:00Z');
    expect(iso(bucketStart(t, 'day', 'Asia/Almaty'))).toBe('2026-03-08T19:00:00.000Z');
    expect(iso(bucketStart(t, 'week', 'Asia/Almaty'))).toBe('2026-03-08T19:00:00.000Z');
    expect(iso(bucketStart(t, 'week', 'UTC'))).toBe('2026-03-02T00:00:00.000Z');
    expect(iso(bucketStart(new Date('2026-01-31T19:30:00Z'), 'month', 'Asia/Almaty'))).toBe(
      '2026-01-31T19:00:00.000Z',
    );
    // New York is behind UTC: 02:00 UTC on the 1st is still the last day of the month before
    expect(iso(bucketStart(new Date('2026-04-01T02:00:00Z'), 'month', 'America/New_York'))).toBe(
      '2026-03-01T05:00:00.000Z',
    );
  });

  it('a day across a daylight saving change is 23 or 25 hours long, still one bucket', () => {
    const r = resolveRange({ from: '2025-03-29', to: '2025-03-31', tz: 'Europe/Berlin' });
    expect(bucketKeys(r)).toEqual(['2025-03-29', '2025-03-30', '2025-03-31']);
    expect(iso(bucketStart(new Date('2025-03-30T23:30:00Z'), 'day', 'Europe/Berlin'))).toBe(
      '2025-03-30T22:00:00.000Z',
    );
    // Almaty's move from +6 to +5 (2024-03-01): months still start at local midnight
    const m = resolveRange({ from: '2024-02-10', to: '2024-03-10', period: 'month' });
    expect(bucketKeys(m)).toEqual(['2024-02-01', '2024-03-01']);
  });

  it('lists every month, across a year boundary', () => {
    const r = resolveRange({ from: '2025-11-15', to: '2026-02-01', period: 'month' });
    expect(bucketKeys(r)).toEqual(['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']);
  });

  it('lists every day of a leap February', () => {
    const r = resolveRange({ from: '2028-02-27', to: '2028-03-01', period: 'day' });
    expect(bucketKeys(r)).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
  });
});
