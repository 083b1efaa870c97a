import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

/** The data source the TypeORM migration CLI uses: the same options as the app. */
export default new DataSource(dataSourceOptions(loadConfig().database));
