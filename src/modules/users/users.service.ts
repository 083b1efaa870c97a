import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { toActor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { isUniqueViolation } from '../../database/db-errors';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import type { UserRole } from './user.entity';
import type { UserAccount } from './user-account';
import { UserCache } from './user-cache';
import type { NewUserRow, UserListFilter } from './users.repository';
import { UsersRepository } from './users.repository';

export type { UserListFilter } from './users.repository';

/** A new account as the caller gives it (the email is normalised here). */
export type NewUser = Omit<NewUserRow, 'phone'> & { phone?: string | null };

/** What the owner may change of their own account (`PUT /auth/profile`). */
export type ProfileChanges = Partial<
  Pick<UserAccount, 'firstName' | 'lastName' | 'phone' | 'passwordHash'>
>;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const emailTaken = () => new DomainError('EMAIL_TAKEN', 'This email is already registered');

/**
 * Accounts: the rules on the users table (the repository holds its queries). A block or a role
 * change moves the token version, so the tokens and sessions issued before stop working on the
 * very next request (password changes end sessions through the auth module instead).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly uow: UnitOfWork,
    private readonly cache: UserCache,
  ) {}

  findById(id: string, tx?: Tx): Promise<UserAccount | null> {
    return this.users.findById(id, tx);
  }

  /** Where to write to these users: id → email and first name (unknown ids left out). */
  async contactMapOf(
    ids: string[],
    tx?: Tx,
  ): Promise<Map<string, { email: string; firstName: string }>> {
    const rows = await this.users.contactsOf(ids, tx);
    return new Map(rows.map((u) => [u.id, { email: u.email, firstName: u.firstName }]));
  }

  /** The account behind an access token, from memory while the users table is unchanged. */
  findForToken(id: string): Promise<UserAccount | null> {
    return this.cache.get(id);
  }

  /** `findForToken` from memory only: undefined when the account must be read. */
  keptForToken(id: string): UserAccount | undefined {
    return this.cache.peek(id);
  }

  findByEmail(email: string): Promise<UserAccount | null> {
    return this.users.findByEmail(normalizeEmail(email));
  }

  /** Email, first name and role of these accounts (unknown ids are absent): payout mails. */
  contactsOf(
    ids: string[],
    tx?: Tx,
  ): Promise<Pick<UserAccount, 'id' | 'email' | 'firstName' | 'role'>[]> {
    return this.users.contactsOf(ids, tx);
  }

  /** The active admins, to notify the operator (e.g. a shop waiting for review). */
  async activeAdmins(): Promise<Actor[]> {
    return (await this.users.activeAdmins()).map(toActor);
  }

  async getById(id: string): Promise<UserAccount> {
    const u = await this.users.findById(id);
    if (!u) throw new DomainError('NOT_FOUND', 'User not found');
    return u;
  }

  /** Inserts a user in the caller's transaction; a taken email (any case) is a 409. */
  async insert(tx: Tx, data: NewUser): Promise<UserAccount> {
    const email = normalizeEmail(data.email);
    if (await this.users.isEmailTaken(tx, email)) throw emailTaken();
    try {
      return await this.users.insert(tx, { ...data, email, phone: data.phone ?? null });
    } catch (e) {
      if (isUniqueViolation(e)) throw emailTaken(); // a concurrent registration won
      throw e;
    }
  }

  /**
   * The owner's own changes (name, phone, password hash), in the caller's transaction. The token
   * version stays: which sessions a password change ends is the auth module's rule (every other
   * one on a change, all on a reset).
   */
  async updateProfile(tx: Tx, id: string, changes: ProfileChanges): Promise<void> {
    await this.users.update(tx, id, changes, false);
  }

  /** Marks the address of an account verified (a followed verification link). */
  async markVerified(tx: Tx, id: string): Promise<void> {
    await this.users.update(tx, id, { isVerified: true }, false);
  }

  /** Whether this account's email is verified (from the user cache, as token checks read it). */
  async isEmailVerified(id: string): Promise<boolean> {
    return (await this.cache.get(id))?.isVerified ?? false;
  }

  /** The admin's user list: filtered, searched, newest first, one page plus the total. */
  list(f: UserListFilter): Promise<[UserAccount[], number]> {
    return this.users.page(f);
  }

  /**
   * Sets a user's role. An admin cannot change their own (409). The token version moves, so the
   * user's existing tokens stop working at once and the next login carries the new role.
   */
  async changeRole(actor: Actor, id: string, role: UserRole): Promise<UserAccount> {
    if (actor.id === id) throw new DomainError('SELF_ACTION', 'You cannot change your own role');
    await this.uow.run(async (tx) => {
      const user = await this.existing(tx, id);
      if (user.role === role) return;
      await this.users.update(tx, id, { role }, true);
    });
    return this.getById(id);
  }

  /**
   * Blocks (isActive false) or unblocks a user. Blocking oneself is a 409. Blocking moves the
   * token version, so tokens issued before the block stay dead after an unblock too.
   */
  async setActive(actor: Actor, id: string, active: boolean): Promise<UserAccount> {
    if (!active && actor.id === id) {
      throw new DomainError('SELF_ACTION', 'You cannot block yourself');
    }
    await this.uow.run(async (tx) => {
      const user = await this.existing(tx, id);
      if (user.isActive === active) return;
      await this.users.update(tx, id, { isActive: active }, !active);
    });
    return this.getById(id);
  }

  private async existing(tx: Tx, id: string): Promise<UserAccount> {
    const user = await this.users.findById(id, tx);
    if (!user) throw new DomainError('NOT_FOUND', 'User not found');
    return user;
  }
}
