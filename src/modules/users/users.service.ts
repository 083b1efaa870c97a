import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/errors/domain-error';
import { UnitOfWork } from '../../database/unit-of-work';
import { PasswordHasher } from '../auth/password-hasher';
import { User, UserRole } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone?: string | null;
  role: UserRole;
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
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
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
      const code =
        (e as { code?: string; driverError?: { code?: string } }).driverError?.code ??
        (e as { code?: string }).code;
      if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
      }
      throw e;
    }
  }

  async update(id: string, patch: Partial<User>): Promise<User> {
    await this.uow.run((em) => em.update(User, { id }, patch));
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
