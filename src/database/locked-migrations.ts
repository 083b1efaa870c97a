import { DataSource, Migration } from 'typeorm';

/** The key of the PostgreSQL advisory lock held while migrations run ('bibarys:migrations'). */
export const MIGRATION_LOCK_KEY = 7_265_017_001;

/**
 * A DataSource whose migrations (at start with `migrationsRun`, and from the TypeORM CLI) run
 * under a PostgreSQL session advisory lock: replicas that start together take turns, and the
 * second finds the schema current instead of creating it again. SQLite needs none: the first
 * migration's write transaction already excludes other processes.
 */
export class LockedMigrationsDataSource extends DataSource {
  override runMigrations(
    options?: Parameters<DataSource['runMigrations']>[0],
  ): Promise<Migration[]> {
    return this.underMigrationLock(() => super.runMigrations(options));
  }

  override undoLastMigration(
    options?: Parameters<DataSource['undoLastMigration']>[0],
  ): Promise<void> {
    return this.underMigrationLock(() => super.undoLastMigration(options));
  }

  private async underMigrationLock<T>(run: () => Promise<T>): Promise<T> {
    if (this.options.type !== 'postgres') return run();
    // a session lock on a connection of its own, held until the migrations are done
    const runner = this.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        return await run();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }
}
