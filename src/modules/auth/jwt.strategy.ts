import { createSecretKey } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

import { Actor, toActor } from '../../common/auth/actor';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UsersService } from '../users/users.service';
import type { JwtPayload } from './sessions.service';
import { SessionsService } from './sessions.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * HS256 only, with issuer and audience checked; on every request the account (active, token
 * version) and the session the token names (not ended, not expired) are checked, from the user
 * and session caches while their tables are unchanged: no query on a hit.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // a KeyObject: given a string, jsonwebtoken first tries (and fails, throwing) to parse it as
      // a PEM public key on every verify: about 2 ms of CPU per request (found by the benchmark)
      secretOrKey: createSecretKey(Buffer.from(config.jwt.secret)) as unknown as string,
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
    });
  }

  async validate(payload: JwtPayload): Promise<Actor | false> {
    if (typeof payload?.sub !== 'string' || !UUID.test(payload.sub)) return false;
    // a token without a session (issued before sessions existed) is refused: sign in again
    if (typeof payload.sid !== 'string' || !UUID.test(payload.sid)) return false;
    const user = await this.users.findForToken(payload.sub);
    if (!user || !user.isActive || user.tokenVersion !== payload.tv) return false;
    if (!(await this.sessions.isLive(payload.sid, user))) return false;
    return { ...toActor(user), sessionId: payload.sid };
  }
}
