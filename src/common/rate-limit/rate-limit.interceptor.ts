import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable, throwError, timer } from 'rxjs';

import { rateLimitHeaders } from './rate-limit-headers';
import type { RateLimitPolicyName } from './rate-limit-policies';
import { PartitionState, RateLimits } from './rate-limits.service';

export const RATE_LIMIT_POLICY = 'bibarys:rate-limit-policy';
/**
 * A client refused in this window that keeps coming back gets its 429 this much later (at most
 * its Retry-After): a flood over a few connections then runs at a few requests per second
 * instead of as fast as the server can refuse it, and other clients keep their share.
 */
export const REPEAT_REFUSAL_DELAY_MS = 1000;

/**
 * Applies the route's `@RateLimit(name)` policy: counts the request before the handler (after the
 * auth guard, before validation), answers 429 with Retry-After past a limit, then settles the
 * outcome; every answer carries `RateLimit-Policy` and `RateLimit`.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const name = this.reflector.get<RateLimitPolicyName>(RATE_LIMIT_POLICY, ctx.getHandler());
    if (!name) return next.handle();
    const req = ctx.switchToHttp().getRequest<Request & { user?: { email?: string } }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const body = req.body as { email?: unknown } | undefined;
    const subject = {
      client: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      bodyEmail: typeof body?.email === 'string' ? body.email : undefined,
      userEmail: req.user?.email,
    };
    const show = (states: PartitionState[]) => {
      if (!res.headersSent)
        for (const [k, v] of Object.entries(rateLimitHeaders(states))) res.setHeader(k, v);
    };
    return from(this.limits.begin(name, subject)).pipe(
      mergeMap((ticket) => {
        show(ticket.states);
        if (ticket.limited) {
          const refusal = this.limits.tooMany(ticket);
          if (!ticket.repeat) throw refusal;
          const delay = Math.min(REPEAT_REFUSAL_DELAY_MS, ticket.limited.resetSeconds * 1000);
          return timer(delay).pipe(mergeMap(() => throwError(() => refusal)));
        }
        return next.handle().pipe(
          mergeMap(async (result: unknown) => {
            // the request succeeded: a counter that cannot be settled now must not fail it
            show(await this.limits.settle(ticket, undefined).catch(() => ticket.states));
            return result;
          }),
          catchError((e: unknown) =>
            from(this.limits.settle(ticket, e).then(show, () => undefined)).pipe(
              mergeMap(() => {
                throw e;
              }),
            ),
          ),
        );
      }),
    );
  }
}
