import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UnitOfWork } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import { toUserResponse, UserResponse } from '../users/dto/user.response';
import type { ProfileChanges } from '../users/users.service';
import { normalizeEmail, UsersService } from '../users/users.service';
import { AccountLinksService } from './account-links.service';
import { LoginDto, RegisterDto, UpdateProfileDto } from './dto/auth.dto';
import { LoginResponse } from './dto/auth.response';
import { PasswordHasher } from './password-hasher';
import { ClientInfo, SessionsService } from './sessions.service';

const BAD_CREDENTIALS = 'Invalid email or password';

/**
 * Sign-up, sign-in, tokens and the owner's profile. Passwords are hashed here (PasswordHasher
 * belongs to auth); the users module stores the hash and never imports auth.
 */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly uow: UnitOfWork,
    private readonly outbox: MailOutboxService,
    private readonly sessions: SessionsService,
    private readonly links: AccountLinksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterDto): Promise<UserResponse> {
    const email = normalizeEmail(dto.email);
    if (await this.users.findByEmail(email)) {
      throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
    }
    const passwordHash = await this.hasher.hash(dto.password); // outside the transaction
    const user = await this.uow.run(async (em) => {
      const u = await this.users.insert(em, {
        email,
        passwordHash,
        firstName: dto.first_name,
        lastName: dto.last_name,
        role: dto.role ?? 'customer',
      });
      await this.links.welcome(em, u); // the welcome mail carries the verification link
      return u;
    });
    this.outbox.kick();
    return toUserResponse(user);
  }

  /**
   * POST /auth/login: a new session (see SessionsService) with its first pair of tokens. Failed
   * logins are limited per account and per client by `@RateLimit('login')`.
   */
  async login(dto: LoginDto, client: ClientInfo): Promise<LoginResponse> {
    const email = normalizeEmail(dto.email);
    const user = await this.users.findByEmail(email);
    const ok = user
      ? await this.hasher.verify(dto.password, user.passwordHash)
      : await this.hasher.verifyDummy(dto.password);
    if (!user || !ok) throw new DomainError('INVALID_CREDENTIALS', BAD_CREDENTIALS);
    if (!user.isActive) throw new DomainError('USER_BLOCKED', 'This account is blocked');
    return this.sessions.begin(user, client);
  }

  /** GET /auth/me: the account behind the token (from the user cache while users is unchanged). */
  async me(actor: Actor): Promise<UserResponse> {
    const user = await this.users.findForToken(actor.id);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Missing, invalid or expired token');
    return toUserResponse(user);
  }

  async updateProfile(actor: Actor, dto: UpdateProfileDto): Promise<UserResponse> {
    const user = await this.users.getById(actor.id);
    const patch: ProfileChanges = {};
    if (dto.first_name !== undefined) patch.firstName = dto.first_name;
    if (dto.last_name !== undefined) patch.lastName = dto.last_name;
    if (dto.phone !== undefined) patch.phone = dto.phone;
    if (dto.new_password !== undefined) {
      if (!dto.current_password) {
        throw new DomainError('BAD_REQUEST', 'current_password is required to change the password');
      }
      if (!(await this.hasher.verify(dto.current_password, user.passwordHash))) {
        throw new DomainError('BAD_REQUEST', 'current_password is wrong');
      }
      patch.passwordHash = await this.hasher.hash(dto.new_password);
    } else if (dto.current_password !== undefined) {
      throw new DomainError('BAD_REQUEST', 'current_password is only used with new_password');
    }
    if (!Object.keys(patch).length) return toUserResponse(user);
    await this.uow.run(async (tx) => {
      await this.users.updateProfile(tx, actor.id, patch);
      // a new password ends every other session: a thief signed in elsewhere is out at once
      if (patch.passwordHash) {
        await this.sessions.endAll(tx, actor.id, 'password_change', actor.sessionId);
      }
    });
    return toUserResponse(await this.users.getById(actor.id));
  }

  /** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when no user has that email. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.admin;
    if (!admin || (await this.users.findByEmail(admin.email))) return;
    const passwordHash = await this.hasher.hash(admin.password);
    try {
      await this.uow.run((tx) =>
        this.users.insert(tx, {
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
