import { createSecretKey } from 'node:crypto';

import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';

import { ACTOR_RESOLVER } from '../../common/auth/jwt-auth.guard';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { AccountLinksService } from './account-links.service';
import { AccountTokensRepository } from './account-tokens.repository';
import { AccountsPurge } from './accounts-purge';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';
import { PasswordHasher } from './password-hasher';
import { SessionCache } from './session-cache';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => ({
        // a KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM private
        // key (createPrivateKey, which throws) on every sign — ~1.3 ms of event loop per login
        secret: createSecretKey(Buffer.from(c.jwt.secret)) as unknown as string,
        signOptions: {
          algorithm: 'HS256',
          expiresIn: c.jwt.expiresInSeconds,
          issuer: c.jwt.issuer,
          audience: c.jwt.audience,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: c.jwt.issuer, audience: c.jwt.audience },
      }),
    }),
  ],
  controllers: [AuthController, SessionsController, AccountController],
  providers: [
    AuthService,
    JwtStrategy,
    { provide: ACTOR_RESOLVER, useExisting: JwtStrategy },
    PasswordHasher,
    SessionsRepository,
    SessionCache,
    SessionsService,
    AccountTokensRepository,
    AccountLinksService,
    AccountsPurge,
  ],
  exports: [AuthService, ACTOR_RESOLVER],
})
export class AuthModule {}
