import { Inject, Injectable } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { TableCache } from '../../database/table-cache';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

/**
 * The users that authenticated requests load, kept in memory until the `users` table changes.
 * Every request with a token checks the account (active, token version) — one SELECT per request
 * before; now one per account per change of the table. A write through TypeORM anywhere in this
 * process (block, role change, profile edit, a test's repository update) invalidates every entry
 * at once; another process's commit is seen at once on SQLite and on PostgreSQL when its
 * notification arrives (within 1 s while the LISTEN connection is down; TableCache, EntityVersion).
 */
@Injectable()
export class UserCache {
  private readonly cache: TableCache<User>;

  constructor(users: UsersRepository, @Inject(APP_CONFIG) config: Pick<AppConfig, 'caches'>) {
    this.cache = new TableCache(
      users.watchTable(),
      (id) => users.forToken(id),
      (u) => Object.assign(new User(), u),
      { maxEntries: config.caches.accountEntries },
    );
  }

  /** The account with this id: from memory while the table is unchanged, else read (and kept). */
  get(id: string): Promise<User | null> {
    return this.cache.get(id);
  }

  /** The account if it is in memory and current; undefined when it must be read (`get`). */
  peek(id: string): User | undefined {
    return this.cache.peek(id);
  }
}
