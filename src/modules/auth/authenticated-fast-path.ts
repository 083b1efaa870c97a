import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Type } from '@nestjs/common';
import {
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  PIPES_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import type { Reflector } from '@nestjs/core';

import type { Actor, UserRole } from '../../common/auth/actor';
import { IS_PUBLIC, ROLES } from '../../common/auth/auth.decorators';
import { PERSONAL_CACHE_CONTROL } from '../../common/http/cache-control';
import type { FrontDoorHandler } from '../../common/http/front-door';
import type { HttpObserver, RouteObserver } from '../../observability/http-observer';
import { requestIdOf } from '../../observability/http-observer';
import type { JwtStrategy } from './jwt.strategy';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A hot authenticated GET: its controller, its handler (whose only argument is the actor). */
export interface FastRoute {
  controller: Type;
  /** The handler's name on the controller. */
  handler: string;
  /** The controller instance (app.get(controller)). */
  instance: object;
  /**
   * A method of the controller that answers as the handler does from memory only, synchronously,
   * or undefined when it has to read (then the handler runs): no promise on a warm request.
   */
  inMemory?: string;
}

export interface AuthenticatedFastPathSetup {
  /** The API prefix with its leading slash (`/api/v1`). */
  prefix: string;
  observer: HttpObserver;
  /** The headers the app's header middleware put on an answer to `origin` (see setupApp). */
  commonHeaders: (origin: string | undefined) => readonly string[];
  strategy: JwtStrategy;
  reflector: Reflector;
  routes: FastRoute[];
}

interface Compiled {
  roles: UserRole[];
  call: (actor: Actor) => Promise<unknown>;
  inMemory?: (actor: Actor) => unknown;
  observer: RouteObserver;
}

/**
 * A few hot authenticated GETs without a query (the seller's balance) answered in front of
 * Express: the token is checked by the guard's own strategy (`JwtStrategy.actorOf`: the same
 * verification and user/session caches), the route's roles are read from its own `@Roles`, and
 * the controller's handler runs as the framework would run it. A route qualifies only if it has
 * no guards, pipes, interceptors or parameters beyond `@CurrentUser()` (checked at start: a
 * decorator added later makes the start fail, not the check silently skipped).
 * Anything it cannot answer with a 200 — no or a bad token, a wrong role, an error — goes to
 * Express untouched, where the guard, the filter and the logs treat it as always.
 */
export function authenticatedFastPath(setup: AuthenticatedFastPathSetup): FrontDoorHandler {
  const { prefix, observer, commonHeaders, strategy } = setup;
  const routes = new Map<string, Compiled>();
  for (const r of setup.routes) {
    const url = `${prefix}/${urlOf(r)}`;
    const methods = r.instance as Record<string, (a: Actor) => unknown>;
    if (r.inMemory !== undefined && typeof methods[r.inMemory] !== 'function') {
      throw new Error(`authenticatedFastPath: ${r.controller.name}.${r.inMemory} is not a method`);
    }
    routes.set(url, {
      roles: rolesOf(setup.reflector, r),
      call: (actor) => methods[r.handler](actor) as Promise<unknown>,
      inMemory: r.inMemory === undefined ? undefined : (actor) => methods[r.inMemory!](actor),
      observer: observer.route('GET', url),
    });
  }
  return (req, res) => {
    if (req.method !== 'GET' || req.headers.authorization === undefined) return false;
    const route = routes.get(req.url ?? '');
    if (!route) return false;
    if (route.inMemory) {
      const start = process.hrtime.bigint();
      const actor = strategy.actorInMemory(req.headers.authorization);
      if (actor === null || (actor && !admits(route, actor))) return false;
      if (actor) {
        let answer: unknown;
        try {
          answer = route.inMemory(actor);
        } catch {
          return false; // the framework runs it and answers the error as always
        }
        if (answer !== undefined) {
          answerWith(
            route,
            req,
            res,
            commonHeaders,
            Buffer.from(JSON.stringify(answer)),
            start,
            actor,
          );
          return true;
        }
      }
    }
    return serve(route, req, res, commonHeaders, strategy);
  };
}

function admits(route: Compiled, actor: Actor): boolean {
  return !route.roles.length || route.roles.includes(actor.role);
}

async function serve(
  route: Compiled,
  req: IncomingMessage,
  res: ServerResponse,
  commonHeaders: (origin: string | undefined) => readonly string[],
  strategy: JwtStrategy,
): Promise<boolean> {
  const start = process.hrtime.bigint();
  const actor = await strategy.actorOf(req.headers.authorization);
  if (!actor || !admits(route, actor)) return false;
  let body: Buffer;
  try {
    body = Buffer.from(JSON.stringify(await route.call(actor)));
  } catch {
    return false; // the framework runs it again and answers the error as always
  }
  answerWith(route, req, res, commonHeaders, body, start, actor);
  return true;
}

function answerWith(
  route: Compiled,
  req: IncomingMessage,
  res: ServerResponse,
  commonHeaders: (origin: string | undefined) => readonly string[],
  body: Buffer,
  start: bigint,
  actor: Actor,
): void {
  const id = requestIdOf(req);
  const head = ['X-Request-Id', id, ...commonHeaders(req.headers.origin)];
  head.push('Cache-Control', PERSONAL_CACHE_CONTROL, 'Content-Type', JSON_TYPE);
  head.push('Content-Length', String(body.length));
  res.writeHead(200, head);
  res.end(body);
  route.observer.answered(req, id, 200, start, actor.id);
}

/** `seller/balance` from the controller's and the handler's route metadata; a GET or nothing. */
function urlOf(r: FastRoute): string {
  const fn = r.controller.prototype[r.handler] as object;
  const name = `${r.controller.name}.${r.handler}`;
  if (Reflect.getMetadata(METHOD_METADATA, fn) !== RequestMethod.GET) {
    throw new Error(`authenticatedFastPath: ${name} is not a GET`);
  }
  for (const key of [GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA]) {
    const on = [Reflect.getMetadata(key, fn), Reflect.getMetadata(key, r.controller)] as unknown[];
    if (on.some((m) => Array.isArray(m) && m.length)) {
      throw new Error(`authenticatedFastPath: ${name} has its own ${key}`);
    }
  }
  const args = Object.values(
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, r.controller, r.handler) ?? {}) as Record<
      string,
      { index: number }
    >,
  );
  if (args.length !== 1 || args[0].index !== 0 || (fn as () => void).length !== 1) {
    throw new Error(`authenticatedFastPath: ${name} must take only @CurrentUser()`);
  }
  const path = (v: unknown) => String(v ?? '').replace(/^\/+|\/+$/g, '');
  const url = [
    path(Reflect.getMetadata(PATH_METADATA, r.controller)),
    path(Reflect.getMetadata(PATH_METADATA, fn)),
  ]
    .filter(Boolean)
    .join('/');
  if (url.includes(':')) throw new Error(`authenticatedFastPath: ${name} has route parameters`);
  return url;
}

/** The route's `@Roles` (none: any signed-in user); a @Public() route does not qualify. */
function rolesOf(reflector: Reflector, r: FastRoute): UserRole[] {
  const targets = [r.controller.prototype[r.handler] as () => void, r.controller];
  if (reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
    throw new Error(`authenticatedFastPath: ${r.controller.name}.${r.handler} is public`);
  }
  return reflector.getAllAndOverride<UserRole[]>(ROLES, targets) ?? [];
}
