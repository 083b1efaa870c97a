import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';

import { ApiErrors } from '../errors/api-errors.decorator';
import type { Actor, UserRole } from './actor';

export const IS_PUBLIC = 'bibarys:public';
export const ROLES = 'bibarys:roles';

/** No token needed; a valid token, when sent, still identifies the caller. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiSecurity({}));

/** Signed in with one of these roles (none listed: any signed-in user). */
export const Roles = (...roles: UserRole[]) =>
  applyDecorators(
    SetMetadata(ROLES, roles),
    ApiBearerAuth(),
    roles.length ? ApiErrors(401, 403) : ApiErrors(401),
  );

/** Any signed-in user. */
export const Authenticated = () => Roles();

/** The authenticated user (undefined on a public route called without a token). */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Actor | undefined => ctx.switchToHttp().getRequest().user,
);
