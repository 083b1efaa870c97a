import { ConfigError, durationToSeconds, loadConfig, loadDatabaseConfig } from './app-config';

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8001);
    expect(c.database).toEqual({
      type: 'sqlite',
      path: './data/bibarys.sqlite',
      busyTimeoutMs: 5000,
      cacheMb: 2,
      walMaxMb: 32,
    });
    expect(c.jwt.expiresInSeconds).toBe(900);
    expect(c.accounts).toEqual({
      refreshTtlSeconds: 30 * 86400,
      publicWebUrl: 'http://localhost:8001',
      resetTtlSeconds: 3600,
      verifyTtlSeconds: 48 * 3600,
      checkoutRequiresVerifiedEmail: false,
    });
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
    [{ BCRYPT_ROUNDS: '9', NODE_ENV: 'development' }, 'BCRYPT_ROUNDS'],
    [{ BCRYPT_ROUNDS: '3', NODE_ENV: 'test' }, 'BCRYPT_ROUNDS'],
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
    [{ REFRESH_TOKEN_TTL: 'a month' }, 'REFRESH_TOKEN_TTL'],
    [{ PUBLIC_WEB_URL: 'shop.kz' }, 'PUBLIC_WEB_URL'],
    [{ PUBLIC_WEB_URL: 'https://shop.kz/?a=1' }, 'PUBLIC_WEB_URL'],
    [{ CHECKOUT_REQUIRES_VERIFIED_EMAIL: 'yes' }, 'CHECKOUT_REQUIRES_VERIFIED_EMAIL'],
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

  it('takes a bcrypt cost below 10 only for test suites', () => {
    expect(loadConfig({}).bcryptRounds).toBe(10);
    expect(loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4' }).bcryptRounds).toBe(4);
  });

  it('reads the SQLite page cache size in MB, 2 by default, 1 to 4096', () => {
    const cache = (v: string) => loadDatabaseConfig({ SQLITE_CACHE_MB: v });
    expect(cache('64')).toMatchObject({ type: 'sqlite', cacheMb: 64 });
    expect(() => cache('0')).toThrow('SQLITE_CACHE_MB');
    expect(() => cache('5000')).toThrow('SQLITE_CACHE_MB');
    expect(() => cache('lots')).toThrow('SQLITE_CACHE_MB');
  });

  it('reads how far the SQLite WAL may grow before it starts over, in MB: 32 by default, 1 to 4096', () => {
    const wal = (v?: string) => loadDatabaseConfig(v === undefined ? {} : { SQLITE_WAL_MAX_MB: v });
    expect(wal()).toMatchObject({ type: 'sqlite', walMaxMb: 32 });
    expect(wal('1')).toMatchObject({ walMaxMb: 1 });
    expect(() => wal('0')).toThrow('SQLITE_WAL_MAX_MB');
    expect(() => wal('5000')).toThrow('SQLITE_WAL_MAX_MB');
    expect(() => wal('big')).toThrow('SQLITE_WAL_MAX_MB');
  });

  it('reads the cache bounds: 2,000 catalog answers in 16 MB and 10,000 accounts by default', () => {
    expect(loadConfig({}).caches).toEqual({
      catalogEntries: 2000,
      catalogBytes: 16 * 1024 * 1024,
      accountEntries: 10_000,
    });
    expect(
      loadConfig({
        CATALOG_CACHE_ENTRIES: '50000',
        CATALOG_CACHE_MB: '256',
        ACCOUNT_CACHE_ENTRIES: '200000',
      }).caches,
    ).toEqual({ catalogEntries: 50_000, catalogBytes: 256 * 1024 * 1024, accountEntries: 200_000 });
    expect(() => loadConfig({ CATALOG_CACHE_ENTRIES: '10' })).toThrow('CATALOG_CACHE_ENTRIES');
    expect(() => loadConfig({ CATALOG_CACHE_MB: '0' })).toThrow('CATALOG_CACHE_MB');
    expect(() => loadConfig({ CATALOG_CACHE_MB: 'lots' })).toThrow('CATALOG_CACHE_MB');
    expect(() => loadConfig({ ACCOUNT_CACHE_ENTRIES: '1e9' })).toThrow('ACCOUNT_CACHE_ENTRIES');
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
    const prod = {
      NODE_ENV: 'production',
      PAYMENT_WEBHOOK_SECRET: 'w'.repeat(32),
      EMAIL_TRANSPORT: 'log',
    };
    expect(() => loadConfig(prod)).toThrow('JWT_SECRET');
    expect(() => loadConfig({ ...prod, JWT_SECRET: 'short' })).toThrow('JWT_SECRET');
    expect(loadConfig({ ...prod, JWT_SECRET: 'x'.repeat(32) }).jwt.secret).toBe('x'.repeat(32));
  });

  it('wants EMAIL_TRANSPORT set explicitly in production, and refuses SMTP_TLS_INSECURE there', () => {
    const prod = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      PAYMENT_WEBHOOK_SECRET: 'w'.repeat(32),
    };
    expect(() => loadConfig(prod)).toThrow(ConfigError);
    expect(() => loadConfig(prod)).toThrow('EMAIL_TRANSPORT');
    expect(loadConfig({ ...prod, EMAIL_TRANSPORT: 'log' }).mail.transport).toBe('log');
    const smtp = { ...prod, EMAIL_TRANSPORT: 'smtp', SMTP_HOST: 'mail.bibarys.kz' };
    expect(loadConfig(smtp).mail.smtp?.tlsInsecure).toBe(false);
    expect(() => loadConfig({ ...smtp, SMTP_TLS_INSECURE: 'true' })).toThrow('SMTP_TLS_INSECURE');
    // outside production the default stays log, and the insecure switch is honoured
    expect(loadConfig({}).mail.transport).toBe('log');
    const dev = loadConfig({ SMTP_HOST: 'localhost', SMTP_TLS_INSECURE: 'true' });
    expect(dev.mail.smtp?.tlsInsecure).toBe(true);
    expect(() => loadConfig({ SMTP_TLS_INSECURE: 'yes' })).toThrow('SMTP_TLS_INSECURE');
  });

  it('runs migrations at start unless MIGRATIONS_RUN=false', () => {
    expect(loadConfig({}).migrationsRun).toBe(true);
    expect(loadConfig({ MIGRATIONS_RUN: 'true' }).migrationsRun).toBe(true);
    expect(loadConfig({ MIGRATIONS_RUN: 'false' }).migrationsRun).toBe(false);
    expect(() => loadConfig({ MIGRATIONS_RUN: 'no' })).toThrow('MIGRATIONS_RUN');
  });

  it('gives the operator tools the database settings without the server’s production rules', () => {
    // no JWT_SECRET, no webhook secret: the migration CLI and the backup still know the database
    expect(loadDatabaseConfig({ NODE_ENV: 'production', DATABASE_PATH: '/d/x.sqlite' })).toEqual({
      type: 'sqlite',
      path: '/d/x.sqlite',
      busyTimeoutMs: 5000,
      cacheMb: 2,
      walMaxMb: 32,
    });
    expect(loadDatabaseConfig({ DATABASE_URL: 'postgres://u@h/db' })).toEqual({
      type: 'postgres',
      url: 'postgres://u@h/db',
    });
    expect(() => loadDatabaseConfig({ DATABASE_URL: 'mysql://x' })).toThrow('DATABASE_URL');
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

  it('reads the log, metrics and outbox retention settings', () => {
    const dev = loadConfig({});
    expect(dev.log).toEqual({ format: 'pretty', level: 'info', requests: true });
    expect(dev.metricsToken).toBeUndefined();
    expect(dev.mail.retentionMs).toBe(7 * 86_400_000);
    const prod = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      PAYMENT_WEBHOOK_SECRET: 'w',
      EMAIL_TRANSPORT: 'log',
    });
    expect(prod.log.format).toBe('json');
    expect(loadConfig({ NODE_ENV: 'test' }).log).toEqual({
      format: 'json',
      level: 'info',
      requests: false,
    });
    const set = loadConfig({
      LOG_FORMAT: 'text', // the old name of pretty
      LOG_LEVEL: 'debug',
      LOG_REQUESTS: 'false',
      METRICS_TOKEN: 'a-long-enough-token',
      OUTBOX_RETENTION: '36h',
    });
    expect(set.log).toEqual({ format: 'pretty', level: 'debug', requests: false });
    expect(set.metricsToken).toBe('a-long-enough-token');
    expect(set.mail.retentionMs).toBe(36 * 3_600_000);
    for (const [k, v] of [
      ['LOG_LEVEL', 'loud'],
      ['LOG_FORMAT', 'xml'],
      ['METRICS_TOKEN', 'short'],
      ['OUTBOX_RETENTION', 'a week'],
    ]) {
      expect(() => loadConfig({ [k]: v })).toThrow(new RegExp(k));
    }
  });

  it('keeps uploaded images in the data folder unless told otherwise (MEDIA_*)', () => {
    expect(loadConfig({}).media).toEqual({
      maxBytes: 5 * 1024 * 1024,
      publicApiUrl: undefined,
      storage: { type: 'local', dir: 'data/media' },
    });
    expect(loadConfig({ DATABASE_PATH: '/data/bibarys.sqlite' }).media.storage).toEqual({
      type: 'local',
      dir: '/data/media',
    });
    const set = loadConfig({
      MEDIA_DIR: '/srv/media',
      MEDIA_MAX_BYTES: '1048576',
      PUBLIC_API_URL: 'https://api.bibarys.kz/',
    }).media;
    expect(set).toEqual({
      maxBytes: 1048576,
      publicApiUrl: 'https://api.bibarys.kz',
      storage: { type: 'local', dir: '/srv/media' },
    });
    for (const [k, v] of [
      ['MEDIA_STORAGE', 'ftp'],
      ['MEDIA_MAX_BYTES', '10'],
      ['PUBLIC_API_URL', 'api.bibarys.kz'],
      ['S3_ENDPOINT', 'storage.yandexcloud.net'],
    ]) {
      expect(() => loadConfig({ [k]: v })).toThrow(new RegExp(k));
    }
  });

  it('wants the endpoint, region, bucket and keys with MEDIA_STORAGE=s3', () => {
    expect(() => loadConfig({ MEDIA_STORAGE: 's3', S3_BUCKET: 'bibarys-media' })).toThrow(
      /S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: required when MEDIA_STORAGE=s3/,
    );
    const s3 = {
      MEDIA_STORAGE: 's3',
      S3_ENDPOINT: 'https://storage.yandexcloud.net',
      S3_REGION: 'ru-central1',
      S3_BUCKET: 'bibarys-media',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    };
    expect(loadConfig(s3).media.storage).toEqual({
      type: 's3',
      endpoint: 'https://storage.yandexcloud.net',
      region: 'ru-central1',
      bucket: 'bibarys-media',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      forcePathStyle: true,
      publicUrl: 'https://storage.yandexcloud.net/bibarys-media',
    });
    const hosted = loadConfig({ ...s3, S3_FORCE_PATH_STYLE: 'false' }).media.storage;
    expect(hosted).toMatchObject({ publicUrl: 'https://bibarys-media.storage.yandexcloud.net' });
    const cdn = loadConfig({ ...s3, S3_PUBLIC_URL: 'https://img.bibarys.kz/' }).media.storage;
    expect(cdn).toMatchObject({ publicUrl: 'https://img.bibarys.kz' });
  });

  it('parses durations', () => {
    expect(durationToSeconds('90')).toBe(90);
    expect(durationToSeconds('15m')).toBe(900);
    expect(durationToSeconds('7d')).toBe(604800);
  });
});
