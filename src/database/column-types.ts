import { ColumnOptions, CreateDateColumn, UpdateDateColumn, ValueTransformer } from 'typeorm';

/**
 * Column types that differ between SQLite and PostgreSQL. Decorators are evaluated when the
 * entity file loads, so the driver is read from the environment (DATABASE_URL) at that moment.
 */
export const isPostgresEnv = (): boolean =>
  /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');

export const timestampType = (): 'timestamptz' | 'datetime' =>
  isPostgresEnv() ? 'timestamptz' : 'datetime';

/** Default "now" with millisecond precision on both databases. */
export const nowDefault = (): (() => string) =>
  isPostgresEnv() ? () => 'now()' : () => "(strftime('%Y-%m-%d %H:%M:%f','now'))";

/** PostgreSQL returns bigint as a string; money and counters are plain numbers in the app. */
export const bigintToNumber: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

/** Integer tiyn (1/100 KZT). */
export const moneyColumn = (extra: ColumnOptions = {}): ColumnOptions => ({
  type: 'bigint',
  transformer: bigintToNumber,
  ...extra,
});

export const CreatedAt = (name = 'created_at') =>
  CreateDateColumn({ name, type: timestampType(), default: nowDefault() });
export const UpdatedAt = (name = 'updated_at') =>
  UpdateDateColumn({ name, type: timestampType(), default: nowDefault() });
export const timestampColumn = (extra: ColumnOptions = {}): ColumnOptions => ({
  type: timestampType(),
  ...extra,
});
