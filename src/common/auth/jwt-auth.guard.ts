import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { DomainError } from '../errors/domain-error';
import type { Actor, UserRole } from './actor';
import { IS_PUBLIC, ROLES } from './auth.decorators';

/**
 * Who an `Authorization` header belongs to (the auth module's JwtStrategy): the same checks on
 * every path — HS256 with issuer, audience and expiry, then the account (active, token version)
 * and the session the token names (live). `actorInMemory` answers without a promise when the
 * account and the session are cached (undefined: ask `actorOf`). Null: no actor. A thrown error
 * is ours (the database did not answer).
 */
export interface ActorResolver {
  actorInMemory(header: string | undefined): Actor | null | undefined;
  actorOf(header: string | undefined): Promise<Actor | null>;
}

export const ACTOR_RESOLVER = Symbol('ACTOR_RESOLVER');

/**
 * The one global guard. Every route needs a valid token unless marked @Public(); @Roles(...)
 * narrows it to roles. The account and its session are checked on every request (from their
 * caches while their tables are unchanged), so a blocked or demoted user, or an ended session,
 * loses access at once.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ACTOR_RESOLVER) private readonly actors: ActorResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const req = context.switchToHttp().getRequest<{
      headers: { authorization?: string };
      user?: Actor;
    }>();
    const header = req.headers.authorization;
    if (isPublic) {
      if (!header) return true;
      try {
        req.user = (await this.actorOf(header)) ?? undefined;
      } catch {
        req.user = undefined; // a bad token on a public route reads as anonymous
      }
      return true;
    }
    // an error here is ours (the database did not answer while loading the user): the filter
    // makes it a 503, so an outage never logs clients out with a 401
    const user = await this.actorOf(header);
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Missing, invalid or expired token');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<UserRole[]>(ROLES, targets) ?? [];
    if (roles.length && !roles.includes(user.role)) {
      throw new DomainError('FORBIDDEN', 'Your role may not do this');
    }
    return true;
  }

  private actorOf(header: string | undefined): Actor | null | Promise<Actor | null> {
    const known = this.actors.actorInMemory(header);
    return known === undefined ? this.actors.actorOf(header) : known;
  }
}
