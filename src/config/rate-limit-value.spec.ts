import { parseRateLimit } from './rate-limit-value';

describe('parseRateLimit', () => {
  it.each([
    ['10/1h', 10, 3600],
    ['5/15m', 5, 900],
    ['100/30s', 100, 30],
    ['3/1d', 3, 86400],
    ['10/3600', 10, 3600],
    [' 7 / 2h ', 7, 7200],
    ['1000000/366d', 1_000_000, 366 * 86400],
  ])('reads %s as %i per %i s', (raw, points, durationSeconds) => {
    expect(parseRateLimit(raw)).toEqual({ points, durationSeconds });
  });

  it.each([
    '',
    'ten/1h',
    '10',
    '10/',
    '/1h',
    '10/1w',
    '10/1.5h',
    '-1/1h',
    '0/1h',
    '10/0s',
    '1000001/1h',
    '10/367d',
    '10/1h/2',
    '1e3/1h',
  ])('refuses %p', (raw) => {
    expect(parseRateLimit(raw)).toBeNull();
  });
});
