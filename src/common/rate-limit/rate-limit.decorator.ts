import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ErrorResponse } from '../errors/api-errors.decorator';
import { RATE_LIMIT_POLICY, RateLimitInterceptor } from './rate-limit.interceptor';
import type { RateLimitPolicyName } from './rate-limit-policies';

const DESCRIBE: Record<RateLimitPolicyName, string> = {
  login:
    'failed logins per account (`RATE_LIMIT_LOGIN_ACCOUNT`, 5/15m) and per client address ' +
    '(`RATE_LIMIT_LOGIN_CLIENT`, 20/15m); a successful login clears its account counter',
  register: 'registrations per client address (`RATE_LIMIT_REGISTER`, 10/1h)',
  'password-forgot':
    'requests per email and per client address (`RATE_LIMIT_PASSWORD_FORGOT`, 5/1h)',
  'email-verify-request':
    'requests per account email and per client address (`RATE_LIMIT_PASSWORD_FORGOT`, 5/1h)',
};

/**
 * Limits the route by a named policy (`rate-limit-policies.ts`), counted in the database so that
 * every server process shares it: 429 with Retry-After past the limit, and the draft
 * `RateLimit-Policy` / `RateLimit` headers on every answer.
 */
export const RateLimit = (name: RateLimitPolicyName) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_POLICY, name),
    UseInterceptors(RateLimitInterceptor),
    ApiResponse({
      status: 429,
      description: `Rate limited: ${DESCRIBE[name]}. See Retry-After.`,
      type: ErrorResponse,
      headers: {
        'Retry-After': {
          description: 'Seconds until the limit resets',
          schema: { type: 'integer' },
        },
        'RateLimit-Policy': {
          description: 'The quota policies (IETF draft): `"name";q=<quota>;w=<window seconds>`',
          schema: { type: 'string' },
        },
        RateLimit: {
          description: 'What remains (IETF draft): `"name";r=<remaining>;t=<seconds to reset>`',
          schema: { type: 'string' },
        },
      },
    }),
  );
