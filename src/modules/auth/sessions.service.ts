import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { toUserResponse } from '../users/dto/user.response';
import type { UserAccount } from '../users/user-account';
import { UsersService } from '../users/users.service';
import type { SessionEndReason } from './auth.entities';
import { Session } from './auth.entities';
import { LoginResponse } from './dto/auth.response';
import { SessionResponse } from './dto/session.response';
import { hashOpaqueToken, isOpaqueTokenShape, newOpaqueToken } from './opaque-token';
import { SessionCache } from './session-cache';
import { sessionAdmits, sessionWorks } from './session-rules';
import { SessionsRepository } from './sessions.repository';

/** The claims of an access token. */
export interface JwtPayload {
  sub: string;
  role: string;
  tv: number;
  /** The session the token belongs to. */
  sid: string;
}

/** Where a sign-in comes from, as the session list shows it. */
export interface ClientInfo {
  userAgent?: string | null;
  ip?: string | null;
}

const BAD_REFRESH = () =>
  new DomainError('UNAUTHENTICATED', 'Invalid, expired or already used refresh token');

type RefreshOutcome =
  { ok: true; user: UserAccount; sessionId: string; refreshToken: string } | { ok: false };

/**
 * Sessions: one per login, each with a rotating refresh token stored only as its SHA-256. A
 * refresh uses the presented token (a conditional update, so of two racing refreshes with one
 * token only one gets through) and hands out the next; a token presented after its use can only
 * come from a copy, so the whole session ends (theft detection). Access tokens name their session
 * (`sid`), and the guard asks `isLive` on every request (from SessionCache, no query on a hit).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly repo: SessionsRepository,
    private readonly cache: SessionCache,
    private readonly users: UsersService,
    private readonly uow: UnitOfWork,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session for an account that just proved its password: the login answer. */
  async begin(user: UserAccount, client: ClientInfo): Promise<LoginResponse> {
    const now = new Date();
    const { token, hash } = newOpaqueToken();
    const session = Object.assign(new Session(), {
      id: randomUUID(),
      userId: user.id,
      tokenVersion: user.tokenVersion,
      userAgent: client.userAgent?.slice(0, 256) || null,
      ip: client.ip?.slice(0, 64) || null,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: this.expiry(now),
      revokedAt: null,
      revokedReason: null,
    });
    await this.uow.run((tx) => this.repo.start(tx, session, hash));
    return this.answer(user, session.id, token);
  }

  /**
   * POST /auth/refresh: the next pair for a working session. Unknown, tampered or truncated
   * tokens, ended or expired sessions, blocked accounts → 401 and nothing issued; a token used
   * before ends its session first.
   */
  async refresh(refreshToken: string): Promise<LoginResponse> {
    if (!isOpaqueTokenShape(refreshToken)) throw BAD_REFRESH();
    const hash = hashOpaqueToken(refreshToken);
    const outcome = await this.uow.run(async (tx): Promise<RefreshOutcome> => {
      const now = new Date();
      const found = await this.repo.presented(tx, hash);
      if (!found) return { ok: false };
      const { session } = found;
      const user = await this.users.findById(session.userId, tx);
      if (!user || !sessionWorks(session, user, now)) return { ok: false };
      if (!user.isActive) {
        await this.repo.end(tx, user.id, 'account_changed', now, { only: session.id });
        return { ok: false };
      }
      if (!(await this.repo.use(tx, hash, now))) {
        // the token was used before: someone holds a copy
        await this.repo.end(tx, user.id, 'reuse', now, { only: session.id });
        return { ok: false };
      }
      const next = newOpaqueToken();
      await this.repo.rotate(tx, session.id, next.hash, now, this.expiry(now));
      return { ok: true, user, sessionId: session.id, refreshToken: next.token };
    });
    if (!outcome.ok) throw BAD_REFRESH();
    return this.answer(outcome.user, outcome.sessionId, outcome.refreshToken);
  }

  /**
   * POST /auth/logout: ends the session of this refresh token (its access tokens stop at once).
   * A token that is unknown or whose session already ended changes nothing: the caller is signed
   * out either way.
   */
  async logout(refreshToken: string): Promise<void> {
    if (!isOpaqueTokenShape(refreshToken)) return;
    const hash = hashOpaqueToken(refreshToken);
    await this.uow.run(async (tx) => {
      const found = await this.repo.presented(tx, hash);
      if (found) {
        const { session } = found;
        await this.repo.end(tx, session.userId, 'logout', new Date(), { only: session.id });
      }
    });
  }

  /** POST /auth/logout-all: every session of the caller ends, the current one included. */
  async logoutAll(actor: Actor): Promise<void> {
    await this.uow.run((tx) => this.repo.end(tx, actor.id, 'logout_all', new Date()));
  }

  /** GET /auth/sessions: the caller's working sessions, the most recently used first. */
  async list(actor: Actor): Promise<SessionResponse[]> {
    const user = await this.users.findForToken(actor.id);
    if (!user) return [];
    const rows = await this.repo.live(actor.id, user.tokenVersion, new Date());
    return rows.map((s) => ({
      id: s.id,
      created_at: new Date(s.createdAt).toISOString(),
      last_used_at: new Date(s.lastUsedAt).toISOString(),
      user_agent: s.userAgent,
      ip: s.ip,
      current: s.id === actor.sessionId,
    }));
  }

  /** DELETE /auth/sessions/{id}: ends one of the caller's working sessions; anything else → 404. */
  async revoke(actor: Actor, id: string): Promise<void> {
    const ended = await this.uow.run((tx) =>
      this.repo.end(tx, actor.id, 'revoked', new Date(), { only: id }),
    );
    if (!ended) throw notFound('Session');
  }

  /** Ends the sessions of a user in the caller's transaction (all, or all but `except`). */
  endAll(tx: Tx, userId: string, reason: SessionEndReason, except?: string): Promise<number> {
    return this.repo.end(tx, userId, reason, new Date(), except ? { except } : {});
  }

  /** Whether the session an access token names still works for this account (cached). */
  async isLive(sessionId: string, account: UserAccount): Promise<boolean> {
    const session = await this.cache.get(sessionId);
    return !!session && sessionAdmits(session, account);
  }

  /** `isLive` from memory only: undefined when the session must be read. */
  isLiveInMemory(sessionId: string, account: UserAccount): boolean | undefined {
    const session = this.cache.peek(sessionId);
    return session && sessionAdmits(session, account);
  }

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.config.accounts.refreshTtlSeconds * 1000);
  }

  private async answer(
    user: UserAccount,
    sessionId: string,
    refreshToken: string,
  ): Promise<LoginResponse> {
    const payload: JwtPayload = {
      sub: user.id,
      role: user.role,
      tv: user.tokenVersion,
      sid: sessionId,
    };
    return {
      access_token: await this.jwt.signAsync(payload),
      token_type: 'bearer',
      expires_in: this.config.jwt.expiresInSeconds,
      refresh_token: refreshToken,
      refresh_expires_in: this.config.accounts.refreshTtlSeconds,
      user: toUserResponse(user),
    };
  }
}
