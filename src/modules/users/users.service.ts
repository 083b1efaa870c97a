import { toActor } from '../../common/auth/actor';
import type { Actor } from '../../common/auth/actor';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { isUniqueViolation } from '../../database/db-errors';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/errors/domain-error';
import { UnitOfWork } from '../../database/unit-of-work';
import { PasswordHasher } from '../auth/password-hasher';
import { UserCache } from './user-cache';
import { User, UserRole } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  role: UserRole;
}

/** Filters of the admin's user list. */
export interface UserListFilter {
  role?: UserRole;
  isActive?: boolean;
  /** Part of the email or of "first last" name, case-insensitive (Cyrillic included). */
  search?: string;
  skip: number;
  take: number;
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Accounts: the only place that reads or writes the users table. */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: UserCache,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** The account behind an access token, from memory while the users table is unchanged. */
  findForToken(id: string): Promise<User | null> {
    return this.cache.get(id, (i) => this.findById(i));
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** The active admins, to notify the operator (e.g. a shop waiting for review). */
  async activeAdmins(): Promise<Actor[]> {
    const admins = await this.users.findBy({ role: 'admin', isActive: true });
    return admins.map(toActor);
  }

  async getById(id: string): Promise<User> {
    const u = await this.findById(id);
    if (!u) throw new DomainError('NOT_FOUND', 'User not found');
    return u;
  }

  /** Inserts a user in the caller's transaction; a taken email (any case) is a 409. */
  async insert(em: EntityManager, data: NewUser): Promise<User> {
    const email = normalizeEmail(data.email);
    if (await em.existsBy(User, { email })) {
      throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
    }
    const user = em.create(User, {
      ...data,
      email,
      phone: data.phone ?? null,
      isActive: true,
      isVerified: false,
    });
    try {
      return await em.save(user);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
      }
      throw e;
    }
  }

  async update(id: string, patch: Partial<User>): Promise<User> {
    await this.uow.run((em) => em.update(User, { id }, patch));
    return this.getById(id);
  }

  /** The admin's user list: filtered, searched, newest first, one page plus the total. */
  list(f: UserListFilter): Promise<[User[], number]> {
    const qb = this.users.createQueryBuilder('u');
    if (f.role) qb.andWhere('u.role = :role', { role: f.role });
    if (f.isActive !== undefined) qb.andWhere('u.is_active = :active', { active: f.isActive });
    const term = f.search?.trim();
    if (term) {
      const pg = this.users.manager.connection.options.type === 'postgres';
      const like = pg ? 'ILIKE' : 'LIKE';
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

  /**
   * Sets a user's role. An admin cannot change their own (409). The token version moves, so the
   * user's existing tokens stop working at once and the next login carries the new role.
   */
  async changeRole(actor: Actor, id: string, role: UserRole): Promise<User> {
    if (actor.id === id) throw new DomainError('SELF_ACTION', 'You cannot change your own role');
    await this.uow.run(async (em) => {
      const user = await em.findOneBy(User, { id });
      if (!user) throw new DomainError('NOT_FOUND', 'User not found');
      if (user.role === role) return;
      await em
        .createQueryBuilder()
        .update(User)
        .set({ role, tokenVersion: () => 'token_version + 1' })
        .where('id = :id', { id })
        .execute();
    });
    return this.getById(id);
  }

  /**
   * Blocks (isActive false) or unblocks a user. Blocking oneself is a 409. Blocking moves the
   * token version, so tokens issued before the block stay dead after an unblock too.
   */
  async setActive(actor: Actor, id: string, active: boolean): Promise<User> {
    if (!active && actor.id === id) {
      throw new DomainError('SELF_ACTION', 'You cannot block yourself');
    }
    await this.uow.run(async (em) => {
      const user = await em.findOneBy(User, { id });
      if (!user) throw new DomainError('NOT_FOUND', 'User not found');
      if (user.isActive === active) return;
      await em
        .createQueryBuilder()
        .update(User)
        .set(
          active
            ? { isActive: true }
            : { isActive: false, tokenVersion: () => 'token_version + 1' },
        )
        .where('id = :id', { id })
        .execute();
    });
    return this.getById(id);
  }

  /** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no user has that email. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.admin;
    if (!admin || (await this.findByEmail(admin.email))) return;
    const passwordHash = await this.hasher.hash(admin.password);
    try {
      await this.uow.run((em) =>
        this.insert(em, {
          email: admin.email,
          passwordHash,
          firstName: 'Admin',
          lastName: 'Bibarys',
          role: 'admin',
        }),
      );
      this.logger.log(`created admin ${admin.email}`);
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'EMAIL_TAKEN')) throw e; // another process won
    }
  }
}

/** The term as typed, lower-cased, upper-cased and capitalised (distinct). */
function caseVariants(term: string): string[] {
  const lower = term.toLocaleLowerCase('ru');
  const cap = lower.charAt(0).toLocaleUpperCase('ru') + lower.slice(1);
  return [...new Set([term, lower, term.toLocaleUpperCase('ru'), cap])];
}
