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
    [{ RATE_LIMIT_REGISTER: 'ten per hour' }, 'RATE_LIMIT_REGISTER'],
    [{ RATE_LIMIT_PASSWORD_FORGOT: '0/1h' }, 'RATE_LIMIT_PASSWORD_FORGOT'],
    [{ RATE_LIMIT_LOGIN_ACCOUNT: '5' }, 'RATE_LIMIT_LOGIN_ACCOUNT'],
    [{ RATE_LIMIT_LOGIN_CLIENT: '20/15 minutes' }, 'RATE_LIMIT_LOGIN_CLIENT'],
    [{ PASSWORD_HASH_QUEUE: '-1' }, 'PASSWORD_HASH_QUEUE'],
    [{ PASSWORD_HASH_CONCURRENCY: '0' }, 'PASSWORD_HASH_CONCURRENCY'],
    [{ COMMISSION_RATE_PERCENT: '100.5' }, 'COMMISSION_RATE_PERCENT'],
    [{ COMMISSION_RATE_PERCENT: '1.234' }, 'COMMISSION_RATE_PERCENT'],
    [{ COMMISSION_RATE_PERCENT: '-1' }, 'COMMISSION_RATE_PERCENT'],
    [{ PAYOUT_HOLD: 'two weeks' }, 'PAYOUT_HOLD'],
    [{ PLATFORM_VAT_PERCENT: '100' }, 'PLATFORM_VAT_PERCENT'],
    [{ PAYOUT_KNP: '85' }, 'PAYOUT_KNP'],
    [{ PAYOUT_PROVIDER: 'stripe' }, 'PAYOUT_PROVIDER'],
    [{ RETURN_WINDOW: 'two weeks' }, 'RETURN_WINDOW'],
    [{ RETURN_RESPONSE_TIME: '-3d' }, 'RETURN_RESPONSE_TIME'],
    [{ RETURN_SWEEP_MS: '120000' }, 'RETURN_SWEEP_MS'],
    [{ SELLER_APPROVAL: 'sometimes' }, 'SELLER_APPROVAL'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(name);
  });

  it('gives the rate-limit defaults and reads COUNT/DURATION values', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      loginAccount: { points: 5, durationSeconds: 900 },
      loginClient: { points: 20, durationSeconds: 900 },
      register: { points: 10, durationSeconds: 3600 },
      passwordForgot: { points: 5, durationSeconds: 3600 },
    });
    expect(loadConfig({ RATE_LIMIT_REGISTER: '3/30m' }).rateLimits.register).toEqual({
      points: 3,
      durationSeconds: 1800,
    });
  });

  it('refuses a missing or short JWT_SECRET in production', () => {
    const prod = { NODE_ENV: 'production', PAYMENT_WEBHOOK_SECRET: 'w'.repeat(32) };
    expect(() => loadConfig(prod)).toThrow('JWT_SECRET');
    expect(() => loadConfig({ ...prod, JWT_SECRET: 'short' })).toThrow('JWT_SECRET');
    expect(loadConfig({ ...prod, JWT_SECRET: 'x'.repeat(32) }).jwt.secret).toBe('x'.repeat(32));
  });

  it('gives the finance defaults and reads their variables', () => {
    expect(loadConfig({}).finance).toEqual({
      commissionRateBp: 1000,
      payoutHoldSeconds: 14 * 86400,
      vatPercent: 16,
      payoutKnp: '859',
      payoutProvider: 'manual',
    });
    expect(
      loadConfig({
        COMMISSION_RATE_PERCENT: '12.35',
        PAYOUT_HOLD: '0',
        PLATFORM_VAT_PERCENT: '0',
        PAYOUT_KNP: '861',
        PAYOUT_PROVIDER: 'demo',
      }).finance,
    ).toEqual({
      commissionRateBp: 1235,
      payoutHoldSeconds: 0,
      vatPercent: 0,
      payoutKnp: '861',
      payoutProvider: 'demo',
    });
    expect(loadConfig({ COMMISSION_RATE_PERCENT: '100' }).finance.commissionRateBp).toBe(10_000);
  });

  it('reads the return window and response time as durations, 14d and 3d by default', () => {
    expect(loadConfig({}).returns).toEqual({
      windowMs: 14 * 86_400_000,
      responseTimeMs: 3 * 86_400_000,
      sweepMs: 30_000,
    });
    const c = loadConfig({
      RETURN_WINDOW: '30d',
      RETURN_RESPONSE_TIME: '12h',
      RETURN_SWEEP_MS: '500',
    });
    expect(c.returns).toEqual({
      windowMs: 30 * 86_400_000,
      responseTimeMs: 43_200_000,
      sweepMs: 500,
    });
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
