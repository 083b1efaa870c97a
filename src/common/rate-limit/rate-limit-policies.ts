import type { AppConfig } from '../../config/app-config';
import type { RateLimitValue } from '../../config/rate-limit-value';
import { DomainError } from '../errors/domain-error';

/** The named policies a route can carry with `@RateLimit(name)`. */
export const RATE_LIMIT_POLICY_NAMES = [
  'login',
  'register',
  'password-forgot',
  'email-verify-request',
] as const;
export type RateLimitPolicyName = (typeof RATE_LIMIT_POLICY_NAMES)[number];

/**
 * How a partition counts:
 * - `request`: every request takes a point before it runs (a flood limit);
 * - `attempt`: every request takes a point before it runs, so parallel attempts cannot overshoot;
 *   the point is given back unless the request failed, and a success clears the counter;
 * - `failure`: the counter is only read before the request, and a failure adds a point.
 */
export type Counting = 'request' | 'attempt' | 'failure';

/** What a partition is keyed by: the client address, or an email (the body's or the user's). */
export type PartitionKey = 'client' | 'body-email' | 'user-email';

export interface Partition {
  /** The policy name in the `RateLimit-Policy` / `RateLimit` headers, e.g. `login-account`. */
  name: string;
  key: PartitionKey;
  counting: Counting;
  limit: RateLimitValue;
}

/** How a request ended, as a policy sees it. */
export type Outcome = 'success' | 'failure' | 'neutral';

export interface RateLimitPolicy {
  name: RateLimitPolicyName;
  partitions: Partition[];
  /** Classifies the answer (`undefined` error: a 2xx); only `attempt` and `failure` use it. */
  outcome(error: unknown): Outcome;
}

const always = (): Outcome => 'neutral';

/**
 * A login fails on a wrong email or password; the right password is a success even for a blocked
 * account (as Part 1's throttle did); anything else (400, 503) does not count.
 */
function loginOutcome(error: unknown): Outcome {
  if (error === undefined) return 'success';
  if (error instanceof DomainError && error.code === 'INVALID_CREDENTIALS') return 'failure';
  if (error instanceof DomainError && error.code === 'USER_BLOCKED') return 'success';
  return 'neutral';
}

/** Every policy, with its limits from the validated configuration. */
export function ratePolicies(
  c: AppConfig['rateLimits'],
): Record<RateLimitPolicyName, RateLimitPolicy> {
  const perEmailAndClient = (name: RateLimitPolicyName, key: PartitionKey): RateLimitPolicy => ({
    name,
    partitions: [
      { name: `${name}-email`, key, counting: 'request', limit: c.passwordForgot },
      { name: `${name}-client`, key: 'client', counting: 'request', limit: c.passwordForgot },
    ],
    outcome: always,
  });
  return {
    login: {
      name: 'login',
      partitions: [
        { name: 'login-account', key: 'body-email', counting: 'attempt', limit: c.loginAccount },
        { name: 'login-client', key: 'client', counting: 'failure', limit: c.loginClient },
      ],
      outcome: loginOutcome,
    },
    register: {
      name: 'register',
      partitions: [
        { name: 'register-client', key: 'client', counting: 'request', limit: c.register },
      ],
      outcome: always,
    },
    'password-forgot': perEmailAndClient('password-forgot', 'body-email'),
    'email-verify-request': perEmailAndClient('email-verify-request', 'user-email'),
  };
}
