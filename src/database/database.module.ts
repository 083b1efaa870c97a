import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config';
import { CacheListener } from './cache-listener';
import { dataSourceOptions } from './data-source-options';
import { DatabaseMetrics } from './database-metrics';
import { LockedMigrationsDataSource } from './locked-migrations';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { UnitOfWork } from './unit-of-work';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.database),
        migrationsRun: config.migrationsRun,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
      // migrations at start take the PostgreSQL advisory lock (replicas starting together)
      dataSourceFactory: async (options) => new LockedMigrationsDataSource(options!).initialize(),
    }),
  ],
  providers: [UnitOfWork, SqliteCheckpointer, DatabaseMetrics, CacheListener],
  exports: [UnitOfWork, SqliteCheckpointer, CacheListener],
})
export class DatabaseModule {}
