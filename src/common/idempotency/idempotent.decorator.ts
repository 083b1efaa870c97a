import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

import { ApiErrors } from '../errors/api-errors.decorator';
import {
  IDEMPOTENCY_SCOPE,
  IdempotencyInterceptor,
  IDEMPOTENT_CLAIM_IN_HANDLER,
  IDEMPOTENT_OPERATION,
  MAX_KEY_LENGTH,
  RequestWithScope,
} from './idempotency.interceptor';

/**
 * Marks a POST as idempotent under the `Idempotency-Key` header (per user, kept ≥ 24 h):
 * a repeat with the same key and body replays the first answer (same status and body, header
 * `Idempotent-Replayed: true`); the same key with another body → 422; a repeat while the first
 * is still running waits up to 5 s, then 409.
 *
 * `claimInHandler`: the handler claims the key inside its own transaction
 * (`IdempotencyService.claimWithin`, first) and stores its answer there (`completeWithin`, last),
 * so a request under a key costs one write transaction, not two. A handler that opts in must call
 * both on its success path.
 */
export const Idempotent = (operation: string, o: { claimInHandler?: boolean } = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT_OPERATION, operation),
    SetMetadata(IDEMPOTENT_CLAIM_IN_HANDLER, !!o.claimInHandler),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: `Up to ${MAX_KEY_LENGTH} visible ASCII characters, unique per intended operation (e.g. a UUID). Repeats with the same key and body return the first response; a different body → 422; a repeat while the first runs → 409 after a short wait.`,
    }),
    ApiErrors(409, 422),
  );

/**
 * The Idempotency-Key scope of this request (undefined when no key was sent), for a handler that
 * stores its answer in its own transaction (IdempotencyService.completeWithin).
 */
export const IdempotencyOf = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) =>
    ctx.switchToHttp().getRequest<RequestWithScope>()[IDEMPOTENCY_SCOPE],
);
