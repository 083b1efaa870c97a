import { loadDatabaseConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { LockedMigrationsDataSource } from './locked-migrations';

/**
 * The data source of the TypeORM migration CLI, compiled to dist/database/data-source.js:
 * `npm run migration:show|run|revert` (also in a release, without sources). The same options as
 * the app, the same environment variables, the same advisory lock on PostgreSQL.
 */
export default new LockedMigrationsDataSource(dataSourceOptions(loadDatabaseConfig()));
