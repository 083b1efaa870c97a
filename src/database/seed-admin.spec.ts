import { seedAdmin } from './seed-admin';

describe('seedAdmin (npm run seed)', () => {
  it('keeps the operator’s ADMIN_EMAIL and ADMIN_PASSWORD', () => {
    expect(seedAdmin({ ADMIN_EMAIL: 'a@b.kz', ADMIN_PASSWORD: 'own-password-1' })).toEqual({
      ADMIN_EMAIL: 'a@b.kz',
      ADMIN_PASSWORD: 'own-password-1',
    });
  });

  it('takes SEED_ADMIN_PASSWORD for the demo admin', () => {
    expect(seedAdmin({ SEED_ADMIN_PASSWORD: 'chosen-password-1' })).toEqual({
      ADMIN_EMAIL: 'admin@bibarys.kz',
      ADMIN_PASSWORD: 'chosen-password-1',
    });
  });

  it('otherwise makes a fresh random password each time, never the old default', () => {
    const a = seedAdmin({}).ADMIN_PASSWORD;
    const b = seedAdmin({ ADMIN_EMAIL: 'x@y.kz' }).ADMIN_PASSWORD;
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(16);
    expect([a, b]).not.toContain('admin-password-1');
  });
});
