import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';

import { Logger } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

import { parseRateLimit, RateLimitValue } from './rate-limit-value';

/** An http(s) URL without query or fragment (a base that paths are appended to). */
const HTTP_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);

/** Every environment variable the service reads, validated once at boot. */
export class EnvVars {
  @IsOptional() @IsIn(['development', 'production', 'test']) NODE_ENV?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;
  @IsOptional() @IsString() DATABASE_PATH?: string;
  @IsOptional() @IsString() JWT_SECRET?: string;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'JWT_EXPIRES_IN must look like 3600, 15m, 1h or 7d' })
  JWT_EXPIRES_IN?: string;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'REFRESH_TOKEN_TTL must look like 3600, 12h or 30d' })
  REFRESH_TOKEN_TTL?: string;
  @IsOptional()
  @Matches(HTTP_URL, {
    message: 'PUBLIC_WEB_URL must be an http(s) URL without query or fragment',
  })
  PUBLIC_WEB_URL?: string;
  @IsOptional() @IsIn(['true', 'false']) CHECKOUT_REQUIRES_VERIFIED_EMAIL?: string;
  @IsOptional() @IsEmail() ADMIN_EMAIL?: string;
  @IsOptional() @IsString() @MinLength(8) ADMIN_PASSWORD?: string;
  @IsOptional() @IsString() CORS_ORIGINS?: string;
  @IsOptional() @IsString() TRUST_PROXY?: string;
  @IsOptional() @IsIn(['log', 'smtp']) EMAIL_TRANSPORT?: string;
  @IsOptional() @IsString() SMTP_HOST?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535) SMTP_PORT?: number;
  @IsOptional() @IsString() SMTP_USER?: string;
  @IsOptional() @IsString() SMTP_PASSWORD?: string;
  @IsOptional() @IsString() MAIL_FROM?: string;
  @IsOptional() @IsIn(['true', 'false']) SMTP_TLS_INSECURE?: string;
  @IsOptional() @IsIn(['demo']) PAYMENT_PROVIDER?: string;
  @IsOptional() @IsString() PAYMENT_WEBHOOK_SECRET?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(120000) PAYMENT_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(3600000) PAYMENT_RECOVERY_MS?: number;
  @IsOptional() @IsString() PAYMENT_DEMO_JOURNAL?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60000)
  PAYMENT_DEMO_REFUND_DELAY_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(4) @Max(15) BCRYPT_ROUNDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(60000) SQLITE_BUSY_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(4096) SQLITE_CACHE_MB?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(4096) SQLITE_WAL_MAX_MB?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(600000) MAIL_POLL_MS?: number;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'RETURN_WINDOW must look like 3600, 15m, 12h or 14d' })
  RETURN_WINDOW?: string;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'RETURN_RESPONSE_TIME must look like 3600, 15m, 12h or 3d' })
  RETURN_RESPONSE_TIME?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000) RETURN_SWEEP_MS?: number;
  @IsOptional() @IsIn(['json', 'pretty', 'text']) LOG_FORMAT?: string;
  @IsOptional() @IsIn(['true', 'false']) LOG_REQUESTS?: string;
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;
  @IsOptional() @IsString() @MinLength(16) METRICS_TOKEN?: string;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'OUTBOX_RETENTION must look like 3600, 12h or 7d' })
  OUTBOX_RETENTION?: string;
  @IsOptional()
  @Matches(/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/, {
    message: 'COMMISSION_RATE_PERCENT must be a percentage 0–100 with at most 2 decimals',
  })
  COMMISSION_RATE_PERCENT?: string;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'PAYOUT_HOLD must look like 0, 12h or 14d' })
  PAYOUT_HOLD?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(99) PLATFORM_VAT_PERCENT?: number;
  @IsOptional()
  @Matches(/^\d{3}$/, { message: 'PAYOUT_KNP must be a 3-digit payment purpose code' })
  PAYOUT_KNP?: string;
  @IsOptional() @IsIn(['manual', 'demo']) PAYOUT_PROVIDER?: string;
  @IsOptional() @IsIn(['auto', 'manual']) SELLER_APPROVAL?: string;
  @IsOptional() @IsIn(['true', 'false']) MIGRATIONS_RUN?: string;
  @IsOptional() @IsIn(['true', 'false']) TYPEORM_LOGGING?: string;
  @IsOptional() @IsIn(['true', 'false']) PG_CACHE_LISTEN?: string;
  @IsOptional() @IsString() @MinLength(8) SEED_ADMIN_PASSWORD?: string;
  // rate limits (COUNT/DURATION, parsed in loadConfig) and the password hashing bound
  @IsOptional() @IsString() RATE_LIMIT_LOGIN_ACCOUNT?: string;
  @IsOptional() @IsString() RATE_LIMIT_LOGIN_CLIENT?: string;
  @IsOptional() @IsString() RATE_LIMIT_REGISTER?: string;
  @IsOptional() @IsString() RATE_LIMIT_PASSWORD_FORGOT?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1024) PASSWORD_HASH_CONCURRENCY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100000) PASSWORD_HASH_QUEUE?: number;
  // image uploads (src/modules/media, docs/media.md)
  @IsOptional() @IsIn(['local', 's3']) MEDIA_STORAGE?: string;
  @IsOptional() @IsString() MEDIA_DIR?: string;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  MEDIA_MAX_BYTES?: number;
  @IsOptional()
  @Matches(HTTP_URL, { message: 'PUBLIC_API_URL must be an http(s) URL without query or fragment' })
  PUBLIC_API_URL?: string;
  @IsOptional()
  @Matches(HTTP_URL, { message: 'S3_ENDPOINT must be an http(s) URL without query or fragment' })
  S3_ENDPOINT?: string;
  @IsOptional()
  @Matches(/^[a-z0-9-]+$/, { message: 'S3_REGION must look like us-east-1 or ru-central1' })
  S3_REGION?: string;
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a bucket name' })
  S3_BUCKET?: string;
  @IsOptional() @IsString() S3_ACCESS_KEY_ID?: string;
  @IsOptional() @IsString() S3_SECRET_ACCESS_KEY?: string;
  @IsOptional() @IsIn(['true', 'false']) S3_FORCE_PATH_STYLE?: string;
  @IsOptional()
  @Matches(HTTP_URL, { message: 'S3_PUBLIC_URL must be an http(s) URL without query or fragment' })
  S3_PUBLIC_URL?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(19) PASSWORD_HASH_NICE?: number;
  @IsOptional() @IsIn(['true', 'false']) PASSWORD_HASH_IDLE?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1024) PASSWORD_HASH_YIELD_CORES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(1_000_000) CATALOG_CACHE_ENTRIES?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(4096) CATALOG_CACHE_MB?: number;
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  ACCOUNT_CACHE_ENTRIES?: number;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  database:
    | { type: 'sqlite'; path: string; busyTimeoutMs: number; cacheMb: number; walMaxMb: number }
    | { type: 'postgres'; url: string };
  jwt: {
    secret: string;
    expiresIn: string;
    expiresInSeconds: number;
    issuer: string;
    audience: string;
  };
  admin?: { email: string; password: string };
  accounts: {
    /** How long a refresh token (and so an idle session) lives (REFRESH_TOKEN_TTL). */
    refreshTtlSeconds: number;
    /** The storefront's address: mailed links are `${publicWebUrl}/reset-password?token=…`. */
    publicWebUrl: string;
    /** A password reset link's lifetime (1 hour). */
    resetTtlSeconds: number;
    /** An email verification link's lifetime (48 hours). */
    verifyTtlSeconds: number;
    /** When true, an unverified buyer's checkout is refused (403 EMAIL_NOT_VERIFIED). */
    checkoutRequiresVerifiedEmail: boolean;
  };
  corsOrigins: string[];
  trustProxy: string | false;
  mail: {
    transport: 'log' | 'smtp';
    from: string;
    smtp?: {
      host: string;
      port: number;
      user?: string;
      password?: string;
      /** Accept any TLS certificate (SMTP_TLS_INSECURE=true; development only). */
      tlsInsecure: boolean;
    };
    pollMs: number;
    /** How long a sent mail stays in the outbox before the sender purges it (OUTBOX_RETENTION). */
    retentionMs: number;
  };
  payments: {
    provider: 'demo';
    webhookSecret: string;
    timeoutMs: number;
    recoveryMs: number;
    /** The demo provider's own record of its refunds (a file; none: kept in memory). */
    demoJournal?: string;
    /** How long the demo provider takes to answer a refund it has made (network latency). */
    demoRefundDelayMs: number;
  };
  finance: {
    /** The global commission rate until an admin changes it, in basis points (1000 = 10 %). */
    commissionRateBp: number;
    /** How long a sale (and its commission) stays pending after delivery. */
    payoutHoldSeconds: number;
    /** VAT inside the commission, percent (0: none). */
    vatPercent: number;
    /** The payment purpose code (КНП) written in the bank register. */
    payoutKnp: string;
    payoutProvider: 'manual' | 'demo';
  };
  returns: {
    /** How long after delivery a buyer may ask for a return (RETURN_WINDOW). */
    windowMs: number;
    /** How long a seller has to decide before the return goes to an admin (RETURN_RESPONSE_TIME). */
    responseTimeMs: number;
    /** How often the escalation and refund-recovery sweep runs (at most once a minute). */
    sweepMs: number;
  };
  /** Run pending migrations at start (MIGRATIONS_RUN, default true); false when a job runs them. */
  migrationsRun: boolean;
  /**
   * PostgreSQL: hold a LISTEN connection that hears other processes' commits to cached tables
   * (PG_CACHE_LISTEN, default true); false: their changes are seen after 1 s, as before.
   */
  cacheListen: boolean;
  bcryptRounds: number;
  log: {
    /** `json`: one JSON object a line; `pretty`: pino-pretty (when installed) for people. */
    format: 'json' | 'pretty';
    level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    /** One line per HTTP request (method, route, status, duration, request id). */
    requests: boolean;
  };
  /** When set, GET /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /**
   * `auto`: a seller without an approved shop sells as in Part 1 (but is not paid out);
   * `manual`: only sellers whose shop was approved at least once sell. Suspended: never.
   */
  sellerApproval: 'auto' | 'manual';
  /** Counted in the database, shared by every server process (`src/common/rate-limit`). */
  rateLimits: {
    /** Failed logins per account (RATE_LIMIT_LOGIN_ACCOUNT). */
    loginAccount: RateLimitValue;
    /** Failed logins per client address (RATE_LIMIT_LOGIN_CLIENT). */
    loginClient: RateLimitValue;
    /** Registrations per client address (RATE_LIMIT_REGISTER). */
    register: RateLimitValue;
    /** Forgot-password and verification requests, per email and per client address. */
    passwordForgot: RateLimitValue;
  };
  passwordHash: {
    /** Hashes running at once, each on a hash thread of its own (PASSWORD_HASH_CONCURRENCY). */
    concurrency: number;
    /** Hashes that may wait for a free slot; past that, 503 (PASSWORD_HASH_QUEUE). */
    queue: number;
    /** The hash threads' nice value: the event loop is scheduled first (PASSWORD_HASH_NICE). */
    nice: number;
    /**
     * Hash threads at Linux's SCHED_IDLE policy: they run only on cores nothing else wants, and a
     * hash starved past its rescue time runs again at the normal policy (PASSWORD_HASH_IDLE,
     * default true; BcryptWorkerPool).
     */
    idle: boolean;
    /**
     * Slots left to other requests while the server answers them: a storm uses every core only
     * when logins are all there is (PASSWORD_HASH_YIELD_CORES, 0: never).
     */
    yieldCores: number;
  };
  /** The bounds of the in-memory caches (each entry held is resident memory). */
  caches: {
    /** Catalog answers kept (CATALOG_CACHE_ENTRIES, 2,000). */
    catalogEntries: number;
    /** Their bodies' bytes (CATALOG_CACHE_MB, 16 MB); an answer over 1/8 of it is not kept. */
    catalogBytes: number;
    /** Accounts and sessions kept, each (ACCOUNT_CACHE_ENTRIES, 10,000). */
    accountEntries: number;
  };
  media: MediaConfig;
}

/** Image uploads (`POST /media`): limits, where the files go, how they are addressed. */
export interface MediaConfig {
  /** Largest accepted upload in bytes (MEDIA_MAX_BYTES, default 5 MiB); larger → 413. */
  maxBytes: number;
  /**
   * The server's public address (PUBLIC_API_URL, no trailing slash): answered URLs are absolute
   * on it. Unset: the address the upload request came to (scheme and Host, as `trust proxy` sees them).
   */
  publicApiUrl?: string;
  storage:
    | { type: 'local'; dir: string }
    | {
        type: 's3';
        endpoint: string;
        region: string;
        bucket: string;
        accessKeyId: string;
        secretAccessKey: string;
        /** Path-style addressing (`endpoint/bucket/key`, MinIO) instead of `bucket.endpoint/key`. */
        forcePathStyle: boolean;
        /** Where browsers fetch the objects (a CDN, or the bucket's public address). */
        publicUrl: string;
      };
}

export class ConfigError extends Error {}

export function durationToSeconds(v: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(v);
  if (!m) throw new ConfigError(`bad duration ${v}`);
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * mult;
}

/** Validates every variable's form; throws a ConfigError naming every bad one. */
function parseEnv(env: NodeJS.ProcessEnv): EnvVars {
  const raw = plainToInstance(EnvVars, { ...env }, { enableImplicitConversion: false });
  const errors = validateSync(raw, { skipMissingProperties: false, whitelist: false });
  if (errors.length) {
    const lines = errors.map(
      (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return raw;
}

const fail = (line: string) => new ConfigError(`Invalid configuration:\n  ${line}`);

const DEFAULT_DATABASE_PATH = './data/bibarys.sqlite';

function mediaOf(raw: EnvVars): MediaConfig {
  const base = {
    maxBytes: raw.MEDIA_MAX_BYTES ?? 5 * 1024 * 1024,
    publicApiUrl: raw.PUBLIC_API_URL?.replace(/\/+$/, ''),
  };
  if ((raw.MEDIA_STORAGE ?? 'local') === 'local') {
    // beside the SQLite file: the data folder (also on PostgreSQL, where DATABASE_PATH is unused)
    const dir = raw.MEDIA_DIR || join(dirname(raw.DATABASE_PATH || DEFAULT_DATABASE_PATH), 'media');
    return { ...base, storage: { type: 'local', dir } };
  }
  const missing = (
    ['S3_ENDPOINT', 'S3_REGION', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const
  ).filter((k) => !raw[k]);
  if (missing.length) {
    throw fail(`${missing.join(', ')}: required when MEDIA_STORAGE=s3`);
  }
  const endpoint = new URL(raw.S3_ENDPOINT!.replace(/\/+$/, ''));
  const forcePathStyle = raw.S3_FORCE_PATH_STYLE !== 'false';
  const bucketUrl = forcePathStyle
    ? `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, '')}/${raw.S3_BUCKET}`
    : `${endpoint.protocol}//${raw.S3_BUCKET}.${endpoint.host}${endpoint.pathname.replace(/\/+$/, '')}`;
  return {
    ...base,
    storage: {
      type: 's3',
      endpoint: endpoint.toString().replace(/\/+$/, ''),
      region: raw.S3_REGION!,
      bucket: raw.S3_BUCKET!,
      accessKeyId: raw.S3_ACCESS_KEY_ID!,
      secretAccessKey: raw.S3_SECRET_ACCESS_KEY!,
      forcePathStyle,
      publicUrl: (raw.S3_PUBLIC_URL ?? bucketUrl).replace(/\/+$/, ''),
    },
  };
}

function databaseOf(raw: EnvVars): AppConfig['database'] {
  return raw.DATABASE_URL
    ? { type: 'postgres', url: raw.DATABASE_URL }
    : {
        type: 'sqlite',
        path: raw.DATABASE_PATH ?? DEFAULT_DATABASE_PATH,
        busyTimeoutMs: raw.SQLITE_BUSY_TIMEOUT_MS ?? 5000,
        // SQLite's own default (better-sqlite3 builds it with 16 MB): the OS caches the file too
        cacheMb: raw.SQLITE_CACHE_MB ?? 2,
        walMaxMb: raw.SQLITE_WAL_MAX_MB ?? 32,
      };
}

/**
 * Only the database settings, for the operator tools (migration CLI, backup) that need no secret:
 * the variables are validated as at boot, the production requirements of the server are not.
 */
export function loadDatabaseConfig(env: NodeJS.ProcessEnv = process.env): AppConfig['database'] {
  return databaseOf(parseEnv(env));
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = parseEnv(env);
  const nodeEnv = (raw.NODE_ENV ?? 'development') as AppConfig['env'];
  let secret = raw.JWT_SECRET;
  if (nodeEnv === 'production' && (!secret || Buffer.byteLength(secret) < 32)) {
    throw new ConfigError(
      'Invalid configuration:\n  JWT_SECRET: required in production, at least 32 bytes',
    );
  }
  if (!secret) {
    secret = randomBytes(48).toString('hex');
    if (nodeEnv !== 'test') {
      new Logger('Config').warn(
        'JWT_SECRET is not set: using a random one (tokens die with the process)',
      );
    }
  }
  if ((raw.ADMIN_EMAIL && !raw.ADMIN_PASSWORD) || (!raw.ADMIN_EMAIL && raw.ADMIN_PASSWORD)) {
    throw new ConfigError(
      'Invalid configuration:\n  ADMIN_EMAIL, ADMIN_PASSWORD: set both or neither',
    );
  }
  if (raw.BCRYPT_ROUNDS !== undefined && raw.BCRYPT_ROUNDS < 10 && nodeEnv !== 'test') {
    // below 10 only for test suites (NODE_ENV=test): thousands of accounts are made there, and
    // cost 10 is about 75 ms of CPU per hash or check on this machine
    throw fail('BCRYPT_ROUNDS: at least 10 (lower only with NODE_ENV=test)');
  }
  if (nodeEnv === 'production' && !raw.EMAIL_TRANSPORT) {
    // the log transport would quietly swallow every mail of a real shop
    throw fail('EMAIL_TRANSPORT: required in production (smtp, or log to keep mail in the log)');
  }
  if (nodeEnv === 'production' && raw.SMTP_TLS_INSECURE === 'true') {
    throw fail(
      'SMTP_TLS_INSECURE: not allowed in production (mail servers must prove who they are)',
    );
  }
  const transport = (raw.EMAIL_TRANSPORT ?? 'log') as 'log' | 'smtp';
  if (transport === 'smtp' && !raw.SMTP_HOST) {
    throw new ConfigError(
      'Invalid configuration:\n  SMTP_HOST: required when EMAIL_TRANSPORT=smtp',
    );
  }
  const expiresIn = raw.JWT_EXPIRES_IN ?? '15m';
  const webhookSecret = raw.PAYMENT_WEBHOOK_SECRET ?? 'dev-webhook-secret';
  if (nodeEnv === 'production' && !raw.PAYMENT_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  PAYMENT_WEBHOOK_SECRET: required in production',
    );
  }
  const rateLimit = (name: keyof EnvVars, fallback: string): RateLimitValue => {
    const text = (raw[name] as string | undefined) ?? fallback;
    const v = parseRateLimit(text);
    if (!v) {
      throw new ConfigError(
        `Invalid configuration:\n  ${name}: must be COUNT/DURATION like ${fallback} (got "${text}")`,
      );
    }
    return v;
  };
  // bcrypt runs on hash threads of its own (BcryptWorkerPool), so a login storm may use every
  // core while nothing else is served (PasswordHasher leaves PASSWORD_HASH_YIELD_CORES otherwise)
  const hashConcurrency = raw.PASSWORD_HASH_CONCURRENCY ?? availableParallelism();
  return {
    env: nodeEnv,
    port: raw.PORT ?? 8001,
    database: databaseOf(raw),
    jwt: {
      secret,
      expiresIn,
      expiresInSeconds: durationToSeconds(expiresIn),
      issuer: 'bibarys',
      audience: 'bibarys-api',
    },
    admin:
      raw.ADMIN_EMAIL && raw.ADMIN_PASSWORD
        ? { email: raw.ADMIN_EMAIL.trim().toLowerCase(), password: raw.ADMIN_PASSWORD }
        : undefined,
    accounts: {
      refreshTtlSeconds: durationToSeconds(raw.REFRESH_TOKEN_TTL ?? '30d'),
      publicWebUrl: (raw.PUBLIC_WEB_URL ?? 'http://localhost:8001').replace(/\/+$/, ''),
      resetTtlSeconds: 3600,
      verifyTtlSeconds: 48 * 3600,
      checkoutRequiresVerifiedEmail: raw.CHECKOUT_REQUIRES_VERIFIED_EMAIL === 'true',
    },
    corsOrigins: (raw.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: raw.TRUST_PROXY ? raw.TRUST_PROXY : false,
    mail: {
      transport,
      from: raw.MAIL_FROM ?? 'Bibarys <no-reply@bibarys.kz>',
      smtp: raw.SMTP_HOST
        ? {
            host: raw.SMTP_HOST,
            port: raw.SMTP_PORT ?? 587,
            user: raw.SMTP_USER,
            password: raw.SMTP_PASSWORD,
            tlsInsecure: raw.SMTP_TLS_INSECURE === 'true',
          }
        : undefined,
      pollMs: raw.MAIL_POLL_MS ?? 1000,
      retentionMs: durationToSeconds(raw.OUTBOX_RETENTION ?? '7d') * 1000,
    },
    payments: {
      provider: 'demo',
      webhookSecret,
      timeoutMs: raw.PAYMENT_TIMEOUT_MS ?? 10000,
      recoveryMs: raw.PAYMENT_RECOVERY_MS ?? 5000,
      demoJournal: raw.PAYMENT_DEMO_JOURNAL || undefined,
      demoRefundDelayMs: raw.PAYMENT_DEMO_REFUND_DELAY_MS ?? 0,
    },
    finance: {
      commissionRateBp: Math.round(Number(raw.COMMISSION_RATE_PERCENT ?? '10') * 100),
      payoutHoldSeconds: durationToSeconds(raw.PAYOUT_HOLD ?? '14d'),
      vatPercent: raw.PLATFORM_VAT_PERCENT ?? 16,
      payoutKnp: raw.PAYOUT_KNP ?? '859',
      payoutProvider: (raw.PAYOUT_PROVIDER ?? 'manual') as 'manual' | 'demo',
    },
    returns: {
      windowMs: durationToSeconds(raw.RETURN_WINDOW ?? '14d') * 1000,
      responseTimeMs: durationToSeconds(raw.RETURN_RESPONSE_TIME ?? '3d') * 1000,
      sweepMs: raw.RETURN_SWEEP_MS ?? 30_000,
    },
    migrationsRun: raw.MIGRATIONS_RUN !== 'false',
    cacheListen: raw.PG_CACHE_LISTEN !== 'false',
    bcryptRounds: raw.BCRYPT_ROUNDS ?? 10,
    log: {
      // `text` is the old name of `pretty`
      format:
        (raw.LOG_FORMAT ?? (nodeEnv === 'development' ? 'pretty' : 'json')) === 'json'
          ? 'json'
          : 'pretty',
      level: (raw.LOG_LEVEL ?? 'info') as AppConfig['log']['level'],
      requests: (raw.LOG_REQUESTS ?? (nodeEnv === 'test' ? 'false' : 'true')) === 'true',
    },
    metricsToken: raw.METRICS_TOKEN || undefined,
    sellerApproval: (raw.SELLER_APPROVAL ?? 'auto') as 'auto' | 'manual',
    rateLimits: {
      loginAccount: rateLimit('RATE_LIMIT_LOGIN_ACCOUNT', '5/15m'),
      loginClient: rateLimit('RATE_LIMIT_LOGIN_CLIENT', '20/15m'),
      register: rateLimit('RATE_LIMIT_REGISTER', '10/1h'),
      passwordForgot: rateLimit('RATE_LIMIT_PASSWORD_FORGOT', '5/1h'),
    },
    passwordHash: {
      concurrency: hashConcurrency,
      queue: raw.PASSWORD_HASH_QUEUE ?? 64,
      nice: raw.PASSWORD_HASH_NICE ?? 0,
      idle: raw.PASSWORD_HASH_IDLE !== 'false',
      yieldCores: raw.PASSWORD_HASH_YIELD_CORES ?? 1,
    },
    caches: {
      catalogEntries: raw.CATALOG_CACHE_ENTRIES ?? 2000,
      catalogBytes: (raw.CATALOG_CACHE_MB ?? 16) * 1024 * 1024,
      accountEntries: raw.ACCOUNT_CACHE_ENTRIES ?? 10_000,
    },
    media: mediaOf(raw),
  };
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
