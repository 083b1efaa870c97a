import { randomBytes } from 'node:crypto';

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
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(15) BCRYPT_ROUNDS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(60000) SQLITE_BUSY_TIMEOUT_MS?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(600000) MAIL_POLL_MS?: number;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'RETURN_WINDOW must look like 3600, 15m, 12h or 14d' })
  RETURN_WINDOW?: string;
  @IsOptional()
  @Matches(/^\d+[smhd]?$/, { message: 'RETURN_RESPONSE_TIME must look like 3600, 15m, 12h or 3d' })
  RETURN_RESPONSE_TIME?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000) RETURN_SWEEP_MS?: number;
  @IsOptional() @IsIn(['text', 'json']) LOG_FORMAT?: string;
  @IsOptional() @IsIn(['true', 'false']) LOG_REQUESTS?: string;
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
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  database:
    { type: 'sqlite'; path: string; busyTimeoutMs: number } | { type: 'postgres'; url: string };
  jwt: {
    secret: string;
    expiresIn: string;
    expiresInSeconds: number;
    issuer: string;
    audience: string;
  };
  admin?: { email: string; password: string };
  corsOrigins: string[];
  trustProxy: string | false;
  mail: {
    transport: 'log' | 'smtp';
    from: string;
    smtp?: { host: string; port: number; user?: string; password?: string };
    pollMs: number;
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
  bcryptRounds: number;
  logFormat: 'text' | 'json';
  logRequests: boolean;
  /**
   * `auto`: a seller without an approved shop sells as in Part 1 (but is not paid out);
   * `manual`: only sellers whose shop was approved at least once sell. Suspended: never.
   */
  sellerApproval: 'auto' | 'manual';
}

export class ConfigError extends Error {}

export function durationToSeconds(v: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(v);
  if (!m) throw new ConfigError(`bad duration ${v}`);
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * mult;
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = plainToInstance(EnvVars, { ...env }, { enableImplicitConversion: false });
  const errors = validateSync(raw, { skipMissingProperties: false, whitelist: false });
  if (errors.length) {
    const lines = errors.map(
      (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
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
  const transport = (raw.EMAIL_TRANSPORT ?? 'log') as 'log' | 'smtp';
  if (transport === 'smtp' && !raw.SMTP_HOST) {
    throw new ConfigError(
      'Invalid configuration:\n  SMTP_HOST: required when EMAIL_TRANSPORT=smtp',
    );
  }
  const expiresIn = raw.JWT_EXPIRES_IN ?? '1h';
  const webhookSecret = raw.PAYMENT_WEBHOOK_SECRET ?? 'dev-webhook-secret';
  if (nodeEnv === 'production' && !raw.PAYMENT_WEBHOOK_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  PAYMENT_WEBHOOK_SECRET: required in production',
    );
  }
  return {
    env: nodeEnv,
    port: raw.PORT ?? 8001,
    database: raw.DATABASE_URL
      ? { type: 'postgres', url: raw.DATABASE_URL }
      : {
          type: 'sqlite',
          path: raw.DATABASE_PATH ?? './data/bibarys.sqlite',
          busyTimeoutMs: raw.SQLITE_BUSY_TIMEOUT_MS ?? 5000,
        },
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
          }
        : undefined,
      pollMs: raw.MAIL_POLL_MS ?? 1000,
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
    bcryptRounds: raw.BCRYPT_ROUNDS ?? 10,
    logFormat: (raw.LOG_FORMAT ?? (nodeEnv === 'production' ? 'json' : 'text')) as 'text' | 'json',
    logRequests: (raw.LOG_REQUESTS ?? (nodeEnv === 'test' ? 'false' : 'true')) === 'true',
    sellerApproval: (raw.SELLER_APPROVAL ?? 'auto') as 'auto' | 'manual',
  };
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
