import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import { welcomeMail } from '../email/templates';
import { toUserResponse, UserResponse } from '../users/dto/user.response';
import type { UserAccount } from '../users/user-account';
import { normalizeEmail, UsersService } from '../users/users.service';
import { passwordResetMail, verifyEmailMail } from './account-mails';
import { AccountTokensRepository } from './account-tokens.repository';
import type { AccountTokenPurpose } from './auth.entities';
import { AccountToken } from './auth.entities';
import { ForgotPasswordDto, ResetPasswordDto, VerifyEmailDto } from './dto/account.dto';
import { AcceptedResponse } from './dto/account.response';
import { hashOpaqueToken, isOpaqueTokenShape, newOpaqueToken } from './opaque-token';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';

const ACCEPTED: AcceptedResponse = {
  status: 'accepted',
  message: 'If the address belongs to an account, a mail with a link is on its way',
};

const LINK_PATH: Record<AccountTokenPurpose, string> = {
  password_reset: '/reset-password',
  email_verify: '/verify-email',
};

const resetInvalid = () =>
  new DomainError('RESET_TOKEN_INVALID', 'The reset link is invalid, expired or already used');
const verifyInvalid = () =>
  new DomainError(
    'VERIFICATION_TOKEN_INVALID',
    'The verification link is invalid, expired or already used',
  );

/**
 * The mailed single-use links: password reset (1 hour) and email verification (48 hours). A
 * link's token is 32 random bytes; only its SHA-256 is stored; using it is a conditional update,
 * so a link works once even under racing requests.
 */
@Injectable()
export class AccountLinksService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('AccountLinks');
  /** Forgot-password requests being handled after their answer. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly tokens: AccountTokensRepository,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly uow: UnitOfWork,
    private readonly outbox: MailOutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Queues the welcome mail with a verification link, in the registration's transaction. */
  async welcome(tx: Tx, user: UserAccount): Promise<void> {
    const url = await this.issue(tx, user.id, 'email_verify');
    await this.outbox.enqueue(tx, welcomeMail(user.email, user.firstName, url), 'welcome');
  }

  /**
   * POST /auth/password/forgot: the same answer, at once, whether or not the address has an
   * account — the lookup and the mail happen after the answer, so neither the body nor the time
   * tells an account from none.
   */
  forgotPassword(dto: ForgotPasswordDto): AcceptedResponse {
    const job = this.sendReset(normalizeEmail(dto.email))
      .catch((e: unknown) => this.logger.error(`password reset mail failed: ${String(e)}`))
      .finally(() => this.pending.delete(job));
    this.pending.add(job);
    return { ...ACCEPTED };
  }

  /**
   * POST /auth/password/reset: a working reset link sets the new password and ends every session
   * of the account; used, expired, unknown, malformed or someone else's links → 400
   * RESET_TOKEN_INVALID and nothing changes.
   */
  async resetPassword(caller: Actor | undefined, dto: ResetPasswordDto): Promise<void> {
    const link = await this.find(caller, dto.token, 'password_reset');
    if (!link) throw resetInvalid();
    const passwordHash = await this.hasher.hash(dto.new_password); // outside the transaction
    const done = await this.use(link, async (tx) => {
      await this.users.updateProfile(tx, link.userId, { passwordHash });
      await this.sessions.endAll(tx, link.userId, 'password_reset');
    });
    if (!done) throw resetInvalid(); // a racing request used it first
  }

  /** POST /auth/email/verify: a working verification link marks the address verified. */
  async verifyEmail(caller: Actor | undefined, dto: VerifyEmailDto): Promise<UserResponse> {
    const link = await this.find(caller, dto.token, 'email_verify');
    if (!link) throw verifyInvalid();
    const done = await this.use(link, (tx) => this.users.markVerified(tx, link.userId));
    if (!done) throw verifyInvalid();
    return toUserResponse(await this.users.getById(link.userId));
  }

  /** POST /auth/email/verify-request: a new verification link to the signed-in user's address. */
  async requestVerification(actor: Actor): Promise<AcceptedResponse> {
    const user = await this.users.getById(actor.id);
    if (user.isVerified) {
      throw new DomainError('EMAIL_ALREADY_VERIFIED', 'This email is already verified');
    }
    await this.uow.run(async (tx) => {
      const url = await this.issue(tx, user.id, 'email_verify');
      await this.outbox.enqueue(tx, verifyEmailMail(user.email, user.firstName, url), 'verify');
    });
    this.outbox.kick();
    return { ...ACCEPTED, message: 'A mail with a new verification link is on its way' };
  }

  /** Waits for the forgot-password requests still being handled (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Before the database closes: a reset mail accepted with 202 is still queued. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  private async sendReset(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || !user.isActive) return;
    await this.uow.run(async (tx) => {
      const url = await this.issue(tx, user.id, 'password_reset');
      await this.outbox.enqueue(tx, passwordResetMail(user.email, user.firstName, url), 'reset');
    });
    this.outbox.kick();
  }

  /** Stores a new link's token hash and answers the link's URL. */
  private async issue(tx: Tx, userId: string, purpose: AccountTokenPurpose): Promise<string> {
    const { token, hash } = newOpaqueToken();
    const now = new Date();
    const ttl =
      purpose === 'password_reset'
        ? this.config.accounts.resetTtlSeconds
        : this.config.accounts.verifyTtlSeconds;
    await this.tokens.insert(
      tx,
      Object.assign(new AccountToken(), {
        tokenHash: hash,
        userId,
        purpose,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ttl * 1000),
        usedAt: null,
      }),
    );
    return `${this.config.accounts.publicWebUrl}${LINK_PATH[purpose]}?token=${token}`;
  }

  /**
   * The link of this token if it still works for the caller: well formed, known, of this
   * purpose, unused, unexpired, and the caller's own when a caller is signed in.
   */
  private async find(
    caller: Actor | undefined,
    token: string,
    purpose: AccountTokenPurpose,
  ): Promise<AccountToken | null> {
    if (!isOpaqueTokenShape(token)) return null;
    const link = await this.tokens.usable(hashOpaqueToken(token), purpose, new Date());
    return link && (!caller || caller.id === link.userId) ? link : null;
  }

  /**
   * Uses the link (a conditional update: false when a racing request used it first), applies its
   * effect and uses up the account's other links of the purpose, in one transaction.
   */
  private use(link: AccountToken, effect: (tx: Tx) => Promise<unknown>): Promise<boolean> {
    return this.uow.run(async (tx) => {
      const now = new Date();
      if (!(await this.tokens.use(tx, link.tokenHash, link.purpose, now))) return false;
      await effect(tx);
      await this.tokens.useAll(tx, link.userId, link.purpose, now);
      return true;
    });
  }
}
