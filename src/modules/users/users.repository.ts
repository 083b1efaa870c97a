import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import { Brackets, DataSource, In } from 'typeorm';

import { EntityVersion } from '../../database/entity-version';
import { isPostgres, sqlDate } from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import type { UserRole } from './user.entity';
import { User } from './user.entity';
import type { UserAccount } from './user-account';

/** The columns of a new account (email already normalised). */
export type NewUserRow = Pick<
  UserAccount,
  'email' | 'passwordHash' | 'firstName' | 'lastName' | 'phone' | 'role'
>;

/** The columns an account may change. */
export type AccountChanges = Partial<
  Pick<
    User,
    'firstName' | 'lastName' | 'phone' | 'passwordHash' | 'role' | 'isActive' | 'isVerified'
  >
>;

/** Filters of the admin's user list. */
export interface UserListFilter {
  role?: UserRole;
  isActive?: boolean;
  /** Part of the email or of "first last" name, case-insensitive (Cyrillic included). */
  search?: string;
  skip: number;
  take: number;
}

const USER_COLUMNS =
  '"id", "email", "password_hash", "first_name", "last_name", "phone", "role", "is_active", ' +
  '"is_verified", "token_version", "created_at", "updated_at"';
interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  role: UserRole;
  is_active: boolean | number;
  is_verified: boolean | number;
  token_version: number | string;
  created_at: unknown;
  updated_at: unknown;
}
const toUser = (r: UserRow): User =>
  Object.assign(new User(), {
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    role: r.role,
    isActive: !!r.is_active,
    isVerified: !!r.is_verified,
    tokenVersion: Number(r.token_version),
    createdAt: sqlDate(r.created_at),
    updatedAt: sqlDate(r.updated_at),
  });

/** Every query on the `users` table. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * The account behind a token (UserCache's read; every request of an account not yet cached):
   * one statement of fixed text, mapped by hand to a `User` equal to what `findById` hydrates
   * (tested), without TypeORM's query building and hydration.
   */
  forToken(id: string): Promise<User | null> {
    return this.oneBy('id', id);
  }

  findById(id: string, tx?: Tx): Promise<User | null> {
    return (tx ?? this.ds.manager).findOneBy(User, { id });
  }

  /** The active admins (the operators to notify). */
  activeAdmins(): Promise<User[]> {
    return this.ds.manager.findBy(User, { role: 'admin', isActive: true });
  }

  /**
   * The account with this email (every login and sign-up; `email` already normalised: trimmed,
   * lower-cased): the same fixed statement and hand mapping as `forToken` (tested equal to
   * TypeORM's entity). TypeORM's query building and hydration were about a fifth of a login's CPU
   * on the event loop.
   */
  findByEmail(email: string): Promise<User | null> {
    return this.oneBy('email', email);
  }

  /** The account whose unique `column` is `value`: one statement of fixed text per column. */
  private async oneBy(column: 'id' | 'email', value: string): Promise<User | null> {
    const m = this.ds.manager;
    const [r] = (await m.query(
      `SELECT ${USER_COLUMNS} FROM "users" WHERE "${column}" = ${isPostgres(m) ? '$1' : '?'}`,
      [value],
    )) as UserRow[];
    return r ? toUser(r) : null;
  }

  isEmailTaken(tx: Tx, email: string): Promise<boolean> {
    return tx.existsBy(User, { email });
  }

  /** Inserts and reads the row back (the answer shows created_at); a taken email throws. */
  insert(tx: Tx, row: NewUserRow): Promise<User> {
    return tx.save(tx.create(User, { ...row, isActive: true, isVerified: false }));
  }

  /**
   * Changes an account with one UPDATE; with `revokeTokens` the token version moves in the same
   * statement, so every token issued before stops working.
   */
  async update(tx: Tx, id: string, changes: AccountChanges, revokeTokens: boolean): Promise<void> {
    const set: QueryDeepPartialEntity<User> = { ...changes };
    if (revokeTokens) set.tokenVersion = () => 'token_version + 1';
    await tx.createQueryBuilder().update(User).set(set).where('id = :id', { id }).execute();
  }

  /** The admin's user list: filtered, searched, newest first, one page plus the total. */
  page(f: UserListFilter): Promise<[User[], number]> {
    const qb = this.ds.manager.createQueryBuilder(User, 'u');
    if (f.role) qb.andWhere('u.role = :role', { role: f.role });
    if (f.isActive !== undefined) qb.andWhere('u.is_active = :active', { active: f.isActive });
    const term = f.search?.trim();
    if (term) {
      const like = this.ds.options.type === 'postgres' ? 'ILIKE' : 'LIKE';
      // SQLite's LIKE and LOWER fold ASCII only, and a PostgreSQL database with the C collation
      // folds no Cyrillic either: the usual spellings of the term are matched instead.
      const variants = caseVariants(term).map((v) => `%${v.replace(/[\\%_]/g, '\\$&')}%`);
      qb.andWhere(
        new Brackets((w) => {
          variants.forEach((v, i) => {
            const name = `s${i}`;
            w.orWhere(`u.email ${like} :${name} ESCAPE '\\'`, { [name]: v });
            w.orWhere(`(u.first_name || ' ' || u.last_name) ${like} :${name} ESCAPE '\\'`);
          });
        }),
      );
    }
    return qb
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'ASC')
      .skip(f.skip)
      .take(f.take)
      .getManyAndCount();
  }

  /** Id, email, first name and role of these accounts, 500 ids per statement (absent ids omitted). */
  async contactsOf(
    ids: string[],
    tx?: Tx,
  ): Promise<Pick<User, 'id' | 'email' | 'firstName' | 'role'>[]> {
    const out: Pick<User, 'id' | 'email' | 'firstName' | 'role'>[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      out.push(
        ...(await (tx ?? this.ds.manager).find(User, {
          select: { id: true, email: true, firstName: true, role: true },
          where: { id: In(ids.slice(i, i + 500)) },
        })),
      );
    }
    return out;
  }

  /** A version of the table that moves on every write to it, for the cache of accounts. */
  watchTable(): EntityVersion<User> {
    return new EntityVersion(this.ds, User);
  }
}

/** The term as typed, lower-cased, upper-cased and capitalised (distinct). */
export function caseVariants(term: string): string[] {
  const lower = term.toLocaleLowerCase('ru');
  const cap = lower.charAt(0).toLocaleUpperCase('ru') + lower.slice(1);
  return [...new Set([term, lower, term.toLocaleUpperCase('ru'), cap])];
}
