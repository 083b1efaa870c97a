import { Inject, Injectable } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { TableCache } from '../../database/table-cache';
import { Session } from './auth.entities';
import { SessionsRepository } from './sessions.repository';

/**
 * The sessions that access tokens name, kept in memory until the `sessions` table changes, like
 * the accounts in UserCache: a request with a cached session costs no query, and any write to
 * the table (a logout, a revoke, a login elsewhere) makes the next request read its session
 * again, so an ended session's tokens stop on the very next request.
 */
@Injectable()
export class SessionCache {
  private readonly cache: TableCache<Session>;

  constructor(sessions: SessionsRepository, @Inject(APP_CONFIG) config: Pick<AppConfig, 'caches'>) {
    this.cache = new TableCache(
      sessions.watchTable(),
      (id) => sessions.findById(id),
      (s) => Object.assign(new Session(), s),
      { maxEntries: config.caches.accountEntries },
    );
  }

  get(id: string): Promise<Session | null> {
    return this.cache.get(id);
  }

  /** The session if it is in memory and current; undefined when it must be read (`get`). */
  peek(id: string): Session | undefined {
    return this.cache.peek(id);
  }
}
