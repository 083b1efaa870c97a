import { DomainError } from '../../common/errors/domain-error';
import { bucketKeys, bucketStart, resolveRange } from './date-range';

const iso = (d: Date) => d.toISOString();

describe('resolveRange', () => {
  const now = new Date('2026-11-28T12:34:56Z');

  it('defaults to the last 30 days, today included, by day', () => {
    const r = resolveRange({}, now);
    expect([iso(r.from), iso(r.to), r.period]).toEqual([
      '2026-10-30T00:00:00.000Z',
      '2026-11-29T00:00:00.000Z',
      'day',
    ]);
    expect(bucketKeys(r)).toHaveLength(30);
  });

  it('includes the whole `to` day for a date, the instant for a date-time', () => {
    expect(iso(resolveRange({ from: '2026-03-01', to: '2026-03-01' }, now).to)).toBe(
      '2026-03-02T00:00:00.000Z',
    );
    expect(iso(resolveRange({ from: '2026-03-01', to: '2026-03-01T10:00:00Z' }, now).to)).toBe(
      '2026-03-01T10:00:00.001Z',
    );
    expect(iso(resolveRange({ to: '2026-03-31' }, now).from)).toBe('2026-03-02T00:00:00.000Z');
  });

  it('refuses from after to and ranges over about three years', () => {
    const bad = (q: Record<string, string>) => () => resolveRange(q, now);
    expect(bad({ from: '2026-03-02', to: '2026-03-01' })).toThrow(DomainError);
    expect(bad({ from: '2020-01-01', to: '2026-01-01' })).toThrow(/at most/);
    expect(bad({ from: '2026-12-01' })).toThrow(DomainError); // after the default `to`
    expect(() => resolveRange({ from: '2023-11-29', to: '2026-11-28' }, now)).not.toThrow();
  });
});

describe('buckets', () => {
  it('starts weeks on Monday, across a year boundary', () => {
    expect(iso(bucketStart(new Date('2026-01-01T05:00:00Z'), 'week'))).toBe(
      '2025-12-29T00:00:00.000Z',
    );
    expect(iso(bucketStart(new Date('2026-03-08T23:59:59Z'), 'week'))).toBe(
      '2026-03-02T00:00:00.000Z',
    );
    expect(iso(bucketStart(new Date('2026-03-09T00:00:00Z'), 'week'))).toBe(
      '2026-03-09T00:00:00.000Z',
    );
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
