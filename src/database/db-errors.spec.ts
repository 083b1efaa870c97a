import { driverErrorCode, isUniqueViolation } from './db-errors';

describe('db errors', () => {
  it('recognises unique and primary-key violations of both drivers', () => {
    expect(isUniqueViolation({ driverError: { code: '23505' } })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe(true);
    expect(isUniqueViolation({ driverError: { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' } })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_CHECK' })).toBe(false);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(driverErrorCode({ driverError: { code: 'SQLITE_BUSY' } })).toBe('SQLITE_BUSY');
  });
});
