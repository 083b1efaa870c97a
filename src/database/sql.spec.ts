import { insertSql, placeholders, sqlDate, sqlTime } from './sql';

describe('raw SQL helpers', () => {
  it('builds a multi-row INSERT in each driver’s placeholder syntax, quoted', () => {
    expect(insertSql(false, 'orders', ['id', 'user_id'], 2)).toBe(
      'INSERT INTO "orders" ("id", "user_id") VALUES (?, ?), (?, ?)',
    );
    expect(insertSql(true, 'orders', ['id', 'user_id'], 2)).toBe(
      'INSERT INTO "orders" ("id", "user_id") VALUES ($1, $2), ($3, $4)',
    );
    expect(placeholders(true, 3)).toBe('$1, $2, $3');
    expect(placeholders(false, 2)).toBe('?, ?');
  });

  it('writes a timestamp as TypeORM writes a SQLite datetime and reads it back to the ms', () => {
    const d = new Date('2026-12-01T05:06:07.089Z');
    expect(sqlTime(false, d)).toBe('2026-12-01 05:06:07.089');
    expect(sqlDate(sqlTime(false, d)).toISOString()).toBe(d.toISOString());
    expect(sqlDate('2026-12-01 05:06:07').toISOString()).toBe('2026-12-01T05:06:07.000Z');
    expect(sqlDate(d)).toBe(d);
  });
});
