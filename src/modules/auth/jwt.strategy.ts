import { createSecretKey } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';

import { Actor, toActor } from '../../common/auth/actor';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UsersService } from '../users/users.service';
import type { JwtPayload } from './auth.service';

/**
 * HS256 only, with issuer and audience checked; the account is checked on every request (active,
 * token version), from the user cache while the users table is unchanged.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
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
    if (typeof payload?.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(payload.sub)) return false;
    const user = await this.users.findForToken(payload.sub);
    if (!user || !user.isActive || user.tokenVersion !== payload.tv) return false;
    return toActor(user);
  }
}
