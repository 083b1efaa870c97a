import { Injectable } from '@nestjs/common';

import type { EntityVersion } from '../../database/entity-version';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

/** Users kept at most (a Map in insertion order: the oldest entry goes first). */
const MAX_ENTRIES = 10_000;
/** Even where every writer is seen (SQLite), an entry is read again after this long. */
const MAX_AGE_MS = 30_000;

interface Entry {
  user: User;
  snapshot: string;
  at: number;
}

/**
 * The users that authenticated requests load, kept in memory until the `users` table changes.
 * Every request with a token checks the account (active, token version) — one SELECT per request
 * before; now one per account per change of the table. Correctness follows the catalog cache:
 * a write through TypeORM anywhere in this process (block, role change, logout-all, profile edit,
 * a test's repository update) invalidates every entry at once, nothing read during an open users
 * write is kept, and another process's commit is seen at once on SQLite (`data_version`) and
 * within SHARED_DB_MAX_AGE_MS (1 s) on PostgreSQL.
 *
 * Each caller gets its own copy: a handler that changes the object cannot change the cache.
 * It reads through the users repository and keeps no query of its own.
 */
@Injectable()
export class UserCache {
  private readonly version: EntityVersion<User>;
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeMs: number;

  constructor(private readonly users: UsersRepository) {
    this.version = users.watchTable();
    this.maxAgeMs = Math.min(MAX_AGE_MS, this.version.maxAgeMs);
  }

  /** The account with this id: from memory while the table is unchanged, else read (and kept). */
  async get(id: string): Promise<User | null> {
    const snapshot = this.version.snapshot();
    const hit = this.entries.get(id);
    if (hit && snapshot !== null && hit.snapshot === snapshot) {
      if (Date.now() - hit.at < this.maxAgeMs) return copy(hit.user);
    }
    if (hit) this.entries.delete(id);
    const user = await this.users.findById(id);
    // kept only if nothing wrote users while it was read
    if (user && snapshot !== null && this.version.snapshot() === snapshot) {
      if (this.entries.size >= MAX_ENTRIES) {
        this.entries.delete(this.entries.keys().next().value!);
      }
      this.entries.set(id, { user: copy(user), snapshot, at: Date.now() });
    }
    return user;
  }
}

const copy = (u: User): User => Object.assign(new User(), u);
