import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { DataSourceOptions } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The one place that turns configuration into TypeORM options (app, CLI and seed use it). */
export function dataSourceOptions(db: AppConfig['database']): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true, // the app sets MIGRATIONS_RUN; the TypeORM CLI ignores it
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: process.env.TYPEORM_LOGGING === 'true',
  };
  if (db.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: db.url,
      // names this data source's commits in the cache notifications (CacheSignal skips its own)
      applicationName: `bibarys-${process.pid}-${randomBytes(4).toString('hex')}`,
      extra: { max: 20, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 },
    };
  }
  if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.path,
    enableWAL: true,
    timeout: db.busyTimeoutMs,
    prepareDatabase: (conn: { pragma: (s: string) => unknown }) => {
      conn.pragma(`busy_timeout = ${db.busyTimeoutMs}`);
      conn.pragma('foreign_keys = ON');
      conn.pragma('synchronous = NORMAL');
      // when the WAL starts over, the write that starts it cuts the file back to this size: a
      // large transaction (a migration, a bulk import) does not leave a file of its size behind
      conn.pragma(`journal_size_limit = ${db.walMaxMb * 1024 * 1024}`);
      // the page cache, per connection, in KiB (negative): each MB held is resident memory
      conn.pragma(`cache_size = -${db.cacheMb * 1024}`);
    },
  };
}
