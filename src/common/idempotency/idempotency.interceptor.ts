import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, Observable, of, throwError } from 'rxjs';

import { describeError } from '../errors/all-exceptions.filter';
import { DomainError } from '../errors/domain-error';
import {
  IdempotencyKeyTaken,
  IdempotencyScope,
  IdempotencyService,
  requestHash,
} from './idempotency.service';

export const IDEMPOTENT_OPERATION = 'bibarys:idempotent';
/** Metadata of `@Idempotent(op, { claimInHandler: true })`: the handler claims the key itself. */
export const IDEMPOTENT_CLAIM_IN_HANDLER = 'bibarys:idempotent-claim-in-handler';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const MAX_KEY_LENGTH = 255;
export const IDEMPOTENCY_SCOPE = Symbol('bibarys:idempotency-scope');
export type RequestWithScope = Request & { [IDEMPOTENCY_SCOPE]?: IdempotencyScope };

/**
 * Applies the Idempotency-Key header to the route marked with @Idempotent(operation): the first
 * request runs, its 2xx or 4xx answer is stored and replayed (same status and body) for repeats
 * of the same key and body by the same user; a 5xx frees the key so a retry can run.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IdempotencyService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const operation = this.reflector.get<string>(IDEMPOTENT_OPERATION, ctx.getHandler());
    const req = ctx.switchToHttp().getRequest<Request & { user?: { id: string } }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const raw = req.headers[IDEMPOTENCY_HEADER];
    if (!operation || raw === undefined || !req.user) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
      return throwError(
        () =>
          new DomainError(
            'BAD_REQUEST',
            `Idempotency-Key must be 1–${MAX_KEY_LENGTH} visible ASCII characters`,
          ),
      );
    }
    const userId = req.user.id;
    const path = (req.originalUrl ?? req.url).split('?')[0];
    const hash = requestHash(req.method, path, req.body);
    const scope: IdempotencyScope = { userId, key, stored: false };
    (req as RequestWithScope)[IDEMPOTENCY_SCOPE] = scope; // for @IdempotencyOf()
    if (this.reflector.get<boolean>(IDEMPOTENT_CLAIM_IN_HANDLER, ctx.getHandler())) {
      return this.runDeferred(scope, operation, hash, res, next);
    }
    return this.run(scope, operation, hash, res, next);
  }

  /**
   * The handler claims the key in its own transaction (`claimWithin`) and stores its answer
   * there (`completeWithin`): one write transaction instead of a claim, then the work. A key
   * taken by another request (its claim or its answer) makes the handler's transaction roll
   * back, and the request is answered as a duplicate through the claim of `run` (replay, wait,
   * 422 for another body, a stale claim taken over). A 4xx, whose transaction rolled back with
   * the claim, is stored afterwards as a `done` key; a 5xx leaves nothing behind.
   */
  private runDeferred(
    scope: IdempotencyScope,
    operation: string,
    hash: string,
    res: Response,
    next: CallHandler,
  ): Observable<unknown> {
    this.keys.defer(scope, operation, hash);
    const asDuplicate = () => {
      scope.deferred = undefined;
      scope.stored = false;
      scope.storedIn = undefined;
      return this.run(scope, operation, hash, res, next);
    };
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        // a handler that did not store its answer within: store it now (no claim was written)
        if (!scope.stored) {
          await this.keys.completeDeferred(scope, res.statusCode || HttpStatus.OK, body);
        }
        return body;
      }),
      catchError((e: unknown) => {
        if (e instanceof IdempotencyKeyTaken) return asDuplicate();
        const { status, body } = describeError(e);
        if (status >= 500) return throwError(() => e); // nothing was written under the key
        return from(this.keys.completeDeferred(scope, status, body).catch(() => true)).pipe(
          mergeMap((stored) => (stored ? throwError(() => e) : asDuplicate())),
        );
      }),
    );
  }

  private run(
    scope: IdempotencyScope,
    operation: string,
    hash: string,
    res: Response,
    next: CallHandler,
  ): Observable<unknown> {
    const { userId, key } = scope;
    return from(this.keys.begin(userId, key, operation, hash)).pipe(
      mergeMap((b) => {
        if (b.kind === 'replay') {
          res.status(b.status);
          res.setHeader('Idempotent-Replayed', 'true');
          return of(b.body);
        }
        return next.handle().pipe(
          mergeMap(async (body: unknown) => {
            if (!scope.stored) {
              await this.keys.complete(userId, key, res.statusCode || HttpStatus.OK, body);
            }
            return body;
          }),
          catchError((e: unknown) => {
            const { status, body } = describeError(e);
            const settle =
              status < 500
                ? this.keys.complete(userId, key, status, body)
                : this.keys.release(userId, key);
            return from(settle.catch(() => undefined)).pipe(mergeMap(() => throwError(() => e)));
          }),
        );
      }),
    );
  }
}
