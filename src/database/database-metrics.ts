import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Metrics } from '../observability/metrics';

/** What node-postgres's Pool tells about its connections. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/**
 * The PostgreSQL connection pool on /metrics, read at scrape: connections open, idle, and
 * queries waiting for a connection (a pool too small for the load shows here first). SQLite
 * has one connection and no pool; its lock waits are counted by UnitOfWork.
 */
@Injectable()
export class DatabaseMetrics {
  constructor(@InjectDataSource() ds: DataSource, metrics: Metrics) {
    if (ds.options.type !== 'postgres') return;
    const pool = () => (ds.driver as unknown as { master?: PgPool }).master;
    metrics.gauge({
      name: 'bibarys_db_pool_connections',
      help: 'PostgreSQL pool: connections by state (total, idle) and queries waiting for one',
      labelNames: ['state'],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    metrics.gauge({
      name: 'bibarys_db_pool_max',
      help: 'PostgreSQL pool: the most connections it opens',
      collect() {
        this.set(pool()?.options?.max ?? 0);
      },
    });
  }
}
