import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config';
import { CACHE_CHANNEL, CacheSignal, cacheSignalOf } from './cache-signal';

/** First wait before connecting again after a loss; doubled per failure up to RETRY_MAX_MS. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;
/** A quiet connection is asked `SELECT 1` this often; no answer within PING_TIMEOUT_MS: lost. */
const PING_EVERY_MS = 10_000;
const PING_TIMEOUT_MS = 5000;

/**
 * PostgreSQL: one dedicated connection (outside TypeORM's pool) that LISTENs on CACHE_CHANNEL,
 * where the trigger of every cached table notifies each commit (migration CacheNotify), and moves
 * that table's token in the CacheSignal: this process's caches drop what another process changed
 * as soon as it committed, instead of after a maximum age.
 *
 * While the connection is down (cut, PostgreSQL restarting) the caches fall back to the 1 s
 * maximum age (`CacheSignal.maxAgeMs`) and it is opened again with backoff; once LISTEN works
 * again every cache is dropped once, since a commit made meanwhile was not heard. Closed before
 * the data source at shutdown. SQLite, or PG_CACHE_LISTEN=false: nothing runs.
 */
@Injectable()
export class CacheListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CacheListener');
  private readonly signal?: CacheSignal;
  private client?: Client;
  private retry?: NodeJS.Timeout;
  private ping?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;

  constructor(
    @InjectDataSource() ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.signal = config.cacheListen ? cacheSignalOf(ds) : undefined;
  }

  /** The backend pid of the LISTEN connection while it listens (for tests and operators). */
  get backendPid(): number | undefined {
    return this.signal?.listening ? this.pid : undefined;
  }
  private pid?: number;

  /** The application_name of the LISTEN connection in pg_stat_activity. */
  get applicationName(): string | undefined {
    return this.signal ? `${this.signal.tag}/listen`.slice(0, 63) : undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    // the first attempt is awaited, so a started server hears commits; a failure only retries
    if (this.signal) await this.connect();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.ping);
    const client = this.client;
    this.client = undefined;
    this.signal?.setListening(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const signal = this.signal!;
    if (this.stopped || this.config.database.type !== 'postgres') return;
    const client = new Client({
      connectionString: this.config.database.url,
      application_name: this.applicationName,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
    });
    this.client = client;
    client.on('notification', (m) => {
      if (m.channel === CACHE_CHANNEL) signal.notice(m.payload);
    });
    client.on('error', (e) => this.lost(client, e.message));
    client.on('end', () => this.lost(client, 'connection closed'));
    try {
      await client.connect();
      await client.query(`LISTEN ${CACHE_CHANNEL}`);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (this.client !== client) return; // lost or stopped meanwhile
      this.pid = rows[0].pid;
    } catch (e) {
      this.lost(client, (e as Error).message);
      return;
    }
    if (this.failures > 0) this.logger.log('listening again: every cache dropped once');
    this.failures = 0;
    signal.setListening(true);
    this.ping = setInterval(() => this.checkAlive(client), PING_EVERY_MS).unref();
  }

  /** A connection that stopped answering (a silent network) counts as lost. */
  private checkAlive(client: Client) {
    const timer = setTimeout(() => {
      this.lost(client, `no answer to a ping in ${PING_TIMEOUT_MS} ms`);
    }, PING_TIMEOUT_MS).unref();
    client
      .query('SELECT 1')
      .catch((e: Error) => this.lost(client, e.message))
      .finally(() => clearTimeout(timer));
  }

  /** The connection is gone: short maximum age from now, and a new one after a backoff. */
  private lost(client: Client, why: string) {
    if (this.client !== client) return; // an old connection's late event
    this.client = undefined;
    this.pid = undefined;
    clearInterval(this.ping);
    this.signal!.setListening(false);
    client.removeAllListeners('notification');
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    const wait = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.failures++);
    this.logger.warn(
      `cache notifications lost (${why}): caches expire after 1 s; again in ${wait} ms`,
    );
    this.retry = setTimeout(() => void this.connect(), wait);
    this.retry.unref();
  }
}
