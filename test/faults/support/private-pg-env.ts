import { PgCluster } from './pg-cluster';

/**
 * Imported first by a spec that runs the app in-process on PostgreSQL: entity column types are
 * chosen from DATABASE_URL when the entity files load, so the URL must exist before that.
 */
export const privatePg = PgCluster.createSync();
process.env.DATABASE_URL = privatePg.url('postgres');
