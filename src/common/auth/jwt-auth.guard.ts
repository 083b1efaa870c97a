import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';

import { DomainError } from '../errors/domain-error';
import type { Actor, UserRole } from './actor';
import { IS_PUBLIC, ROLES } from './auth.decorators';

/**
 * The one global guard. Every route needs a valid token unless marked @Public(); @Roles(...)
 * narrows it to roles. The JWT strategy loads the user on every request, so a blocked or demoted
 * user loses access at once.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const req = context.switchToHttp().getRequest();
    if (isPublic) {
      if (!req.headers.authorization) return true;
      try {
        await super.canActivate(context);
      } catch {
        req.user = undefined; // a bad token on a public route reads as anonymous
      }
      return true;
    }
    await super.canActivate(context);
    const roles = this.reflector.getAllAndOverride<UserRole[]>(ROLES, targets) ?? [];
    const user = req.user as Actor;
    if (roles.length && !roles.includes(user.role)) {
      throw new DomainError('FORBIDDEN', 'Your role may not do this');
    }
    return true;
  }

  handleRequest<T>(err: unknown, user: T): T {
    // an error here is ours (the database did not answer while loading the user): the filter
    // makes it a 503, so an outage never logs clients out with a 401
    if (err) throw err;
    if (!user) throw new DomainError('UNAUTHENTICATED', 'Missing, invalid or expired token');
    return user;
  }
}
