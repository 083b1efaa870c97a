import { randomUUID } from 'node:crypto';

import type { Tx } from '../../database/unit-of-work';
import { User } from './user.entity';
import type { AccountChanges, NewUserRow, UsersRepository } from './users.repository';

/**
 * The users table in memory, for unit specs of the services that use accounts (users, auth):
 * it applies writes as the real repository does (the token version moves on `revokeTokens`) and
 * records them in `writes`.
 */
export class FakeUsersRepository {
  readonly rows = new Map<string, User>();
  readonly writes: { id: string; changes: AccountChanges; revokeTokens: boolean }[] = [];
  /** When set, the next insert fails as a lost race on the unique email index would. */
  failNextInsert?: Error;

  add(over: Partial<User> = {}): User {
    const now = new Date();
    const user = Object.assign(new User(), {
      id: randomUUID(),
      email: `${randomUUID()}@example.kz`,
      passwordHash: 'hash:password-123',
      firstName: 'Асель',
      lastName: 'Ахметова',
      phone: null,
      role: 'customer',
      isActive: true,
      isVerified: false,
      tokenVersion: 0,
      createdAt: now,
      updatedAt: now,
      ...over,
    });
    this.rows.set(user.id, user);
    return user;
  }

  /** The stored row (not a copy), to assert on. */
  row(id: string): User {
    const u = this.rows.get(id);
    if (!u) throw new Error(`no user ${id}`);
    return u;
  }

  async findById(id: string, _tx?: Tx): Promise<User | null> {
    const u = this.rows.get(id);
    return u ? Object.assign(new User(), u) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const u = [...this.rows.values()].find((r) => r.email === email);
    return u ? Object.assign(new User(), u) : null;
  }

  async isEmailTaken(_tx: Tx, email: string): Promise<boolean> {
    return [...this.rows.values()].some((r) => r.email === email);
  }

  async insert(_tx: Tx, row: NewUserRow): Promise<User> {
    const failure = this.failNextInsert;
    this.failNextInsert = undefined;
    if (failure) throw failure;
    return this.add(row);
  }

  async update(_tx: Tx, id: string, changes: AccountChanges, revokeTokens: boolean) {
    this.writes.push({ id, changes, revokeTokens });
    const u = this.rows.get(id);
    if (!u) return;
    Object.assign(u, changes);
    if (revokeTokens) u.tokenVersion++;
  }

  asRepository(): UsersRepository {
    return this as unknown as UsersRepository;
  }
}
