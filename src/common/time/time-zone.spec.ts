import {
  dateKeyOf,
  isTimeZone,
  localDateOf,
  localMidnight,
  offsetMs,
  offsetSpans,
} from './time-zone';

const at = (iso: string) => new Date(iso);

describe('time zones', () => {
  it('knows IANA zones and refuses anything else', () => {
    for (const tz of ['Asia/Almaty', 'UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires']) {
      expect(isTimeZone(tz)).toBe(true);
    }
    for (const tz of ['Mars/Olympus', '', 'Asia/Almaty; DROP TABLE', '../etc', 'x'.repeat(80)]) {
      expect(isTimeZone(tz)).toBe(false);
    }
  });

  it('local midnight: Almaty was UTC+6 until 2024-03-01, UTC+5 since', () => {
    expect(localMidnight(2024, 1, 29, 'Asia/Almaty')).toEqual(at('2024-02-28T18:00:00Z'));
    // at 18:00 UTC the clocks went from 00:00 back to 23:00: March began an hour later
    expect(localMidnight(2024, 2, 1, 'Asia/Almaty')).toEqual(at('2024-02-29T19:00:00Z'));
    expect(localMidnight(2024, 2, 2, 'Asia/Almaty')).toEqual(at('2024-03-01T19:00:00Z'));
    expect(offsetMs('Asia/Almaty', Date.parse('2025-06-01T00:00:00Z'))).toBe(5 * 3_600_000);
  });

  it('local midnight rolls days and months over, across a DST change', () => {
    expect(localMidnight(2025, 2, 31, 'Europe/Berlin')).toEqual(at('2025-03-30T22:00:00Z'));
    expect(localMidnight(2025, 2, 30, 'Europe/Berlin')).toEqual(at('2025-03-29T23:00:00Z'));
    expect(localMidnight(2025, 12, 1, 'UTC')).toEqual(at('2026-01-01T00:00:00Z'));
    expect(localMidnight(2025, 2, 0, 'UTC')).toEqual(at('2025-02-28T00:00:00Z'));
  });

  it('the local date of an instant, with its weekday', () => {
    // 2025-12-31 19:00 UTC is already 2026-01-01 (a Thursday) in Almaty
    expect(localDateOf(at('2025-12-31T19:00:00Z'), 'Asia/Almaty')).toEqual({
      year: 2026,
      month: 0,
      day: 1,
      weekday: 4,
    });
    expect(localDateOf(at('2025-12-31T18:59:59Z'), 'Asia/Almaty').day).toBe(31);
    expect(dateKeyOf({ year: 2026, month: 0, day: 1 })).toBe('2026-01-01');
  });

  it('offset spans: one for a zone that keeps its offset, a new one at each change', () => {
    expect(
      offsetSpans(at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), 'Asia/Almaty'),
    ).toEqual([{ from: at('2025-01-01T00:00:00Z'), offsetMinutes: 300 }]);
    expect(
      offsetSpans(at('2024-01-01T00:00:00Z'), at('2024-06-01T00:00:00Z'), 'Asia/Almaty'),
    ).toEqual([
      { from: at('2024-01-01T00:00:00Z'), offsetMinutes: 360 },
      { from: at('2024-02-29T18:00:00Z'), offsetMinutes: 300 },
    ]);
    expect(
      offsetSpans(at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), 'Europe/Berlin'),
    ).toEqual([
      { from: at('2025-01-01T00:00:00Z'), offsetMinutes: 60 },
      { from: at('2025-03-30T01:00:00Z'), offsetMinutes: 120 },
      { from: at('2025-10-26T01:00:00Z'), offsetMinutes: 60 },
    ]);
    // a range that starts mid-minute still finds the change on its minute
    expect(
      offsetSpans(at('2025-03-29T12:00:30.500Z'), at('2025-03-31T00:00:00Z'), 'Europe/Berlin')[1],
    ).toEqual({ from: at('2025-03-30T01:00:00Z'), offsetMinutes: 120 });
    // India is +5:30 all year
    expect(
      offsetSpans(at('2025-01-01T00:00:00Z'), at('2025-02-01T00:00:00Z'), 'Asia/Kolkata'),
    ).toEqual([{ from: at('2025-01-01T00:00:00Z'), offsetMinutes: 330 }]);
  });
});
