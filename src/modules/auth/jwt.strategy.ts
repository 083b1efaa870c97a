import { createSecretKey } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { Actor, toActor } from '../../common/auth/actor';
import type { ActorResolver } from '../../common/auth/jwt-auth.guard';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { UserAccount } from '../users/user-account';
import { UsersService } from '../users/users.service';
import type { JwtPayload } from './sessions.service';
import { SessionsService } from './sessions.service';
import { TimedClaims, VerifiedTokens } from './verified-tokens';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The scheme, then the token, as passport-jwt's extractor read them (whitespace around). */
const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

/**
 * The global guard's and the fast paths' one token check (ActorResolver): HS256 only, with
 * issuer and audience checked (JwtModule's verifyOptions); on every request the account (active,
 * token version) and the session the token names (not ended, not expired) are checked, from the
 * user and session caches while their tables are unchanged: no query on a hit.
 */
@Injectable()
export class JwtStrategy implements ActorResolver {
  // a KeyObject: given a string, jsonwebtoken first tries (and fails, throwing) to parse it as
  // a PEM public key on every verify: about 2 ms of CPU per request (found by the benchmark)
  private readonly key: string;
  /** Tokens this process verified: a token used again costs no HMAC or JSON parsing. */
  private readonly verified = new VerifiedTokens<JwtPayload & TimedClaims>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly jwt: JwtService,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwt.secret)) as unknown as string;
  }

  /**
   * The actor of an `Authorization: Bearer <token>` header (HS256, issuer, audience and expiry —
   * JwtModule's verifyOptions — then `validate`), or null for anything else. The guard answers a
   * null with 401; the routes answered in front of Express (AuthenticatedFastPath) hand it to the
   * framework, whose guard answers it.
   * A token verified before is not verified again (VerifiedTokens: its times still are).
   */
  async actorOf(header: string | undefined): Promise<Actor | null> {
    const payload = this.payloadOf(header);
    return payload && ((await this.validate(payload)) || null);
  }

  /**
   * `actorOf` with no promise, when the account and the session are in memory and current (the
   * same checks on the same rows); undefined when one of them must be read: call `actorOf`.
   */
  actorInMemory(header: string | undefined): Actor | null | undefined {
    const payload = this.payloadOf(header);
    if (!payload || !claimsNameSession(payload)) return null;
    const user = this.users.keptForToken(payload.sub);
    if (user === undefined) return undefined;
    if (!accountAdmits(user, payload)) return null;
    const live = this.sessions.isLiveInMemory(payload.sid, user);
    if (live === undefined) return undefined;
    return live ? { ...toActor(user), sessionId: payload.sid } : null;
  }

  /** The verified payload of a bearer header (VerifiedTokens first), or null. */
  private payloadOf(header: string | undefined): (JwtPayload & TimedClaims) | null {
    const m = header === undefined ? null : BEARER.exec(header);
    if (!m) return null;
    let payload = this.verified.get(m[1]);
    if (!payload) {
      try {
        payload = this.jwt.verify<JwtPayload & TimedClaims>(m[1], { secret: this.key });
      } catch {
        return null;
      }
      this.verified.set(m[1], payload);
    }
    return payload;
  }

  private async validate(payload: JwtPayload): Promise<Actor | false> {
    // a token without a session (issued before sessions existed) is refused: sign in again
    if (!claimsNameSession(payload)) return false;
    const user = await this.users.findForToken(payload.sub);
    if (!accountAdmits(user, payload)) return false;
    if (!(await this.sessions.isLive(payload.sid, user))) return false;
    return { ...toActor(user), sessionId: payload.sid };
  }
}

/** A subject and a session id, both UUIDs (a token without a session is refused: sign in again). */
function claimsNameSession(payload: JwtPayload): boolean {
  return (
    typeof payload?.sub === 'string' &&
    UUID.test(payload.sub) &&
    typeof payload.sid === 'string' &&
    UUID.test(payload.sid)
  );
}

/** The account exists, is active and has the token's version (a password change ends tokens). */
function accountAdmits(user: UserAccount | null, payload: JwtPayload): user is UserAccount {
  return !!user && user.isActive && user.tokenVersion === payload.tv;
}
