import { ConfigError, durationToSeconds, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8001);
    expect(c.database).toEqual({
      type: 'sqlite',
      path: './data/bibarys.sqlite',
      busyTimeoutMs: 5000,
    });
    expect(c.jwt.expiresInSeconds).toBe(3600);
    expect(c.jwt.secret.length).toBeGreaterThanOrEqual(32);
    expect(c.mail.transport).toBe('log');
  });

  it('selects PostgreSQL for a postgres:// DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database).toEqual({
      type: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ JWT_EXPIRES_IN: 'forever' }, 'JWT_EXPIRES_IN'],
    [{ EMAIL_TRANSPORT: 'pigeon' }, 'EMAIL_TRANSPORT'],
    [{ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'password1' }, 'ADMIN_EMAIL'],
    [{ ADMIN_EMAIL: 'a@b.kz' }, 'ADMIN_PASSWORD'],
    [{ EMAIL_TRANSPORT: 'smtp' }, 'SMTP_HOST'],
    [{ BCRYPT_ROUNDS: '4' }, 'BCRYPT_ROUNDS'],
    [{ SELLER_APPROVAL: 'sometimes' }, 'SELLER_APPROVAL'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(name);
  });

  it('refuses a missing or short JWT_SECRET in production', () => {
    const prod = { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'w'.repeat(32) };
    expect(() => loadConfig(prod)).toThrow('JWT_SECRET');
    expect(() => loadConfig({ ...prod, JWT_SECRET: 'short' })).toThrow('JWT_SECRET');
    expect(loadConfig({ ...prod, JWT_SECRET: 'x'.repeat(32) }).jwt.secret).toBe('x'.repeat(32));
  });

  it('reads SELLER_APPROVAL, auto by default', () => {
    expect(loadConfig({}).sellerApproval).toBe('auto');
    expect(loadConfig({ SELLER_APPROVAL: 'manual' }).sellerApproval).toBe('manual');
    expect(loadConfig({ SELLER_APPROVAL: 'auto' }).sellerApproval).toBe('auto');
  });

  it('parses durations', () => {
    expect(durationToSeconds('90')).toBe(90);
    expect(durationToSeconds('15m')).toBe(900);
    expect(durationToSeconds('7d')).toBe(604800);
  });
});
