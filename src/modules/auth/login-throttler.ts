import { Injectable } from '@nestjs/common';

import { DomainError } from '../../common/errors/domain-error';

interface Window {
  failures: number;
  resetAt: number;
}

export const LOGIN_LIMITS = { perAccount: 5, perClient: 20, windowMs: 15 * 60_000 };

/**
 * Counts failed logins per account and per client address (the address Express derives, which
 * honours X-Forwarded-For only behind a configured TRUST_PROXY). Past the limit, logins are
 * refused with 429 and Retry-After until the window ends, whatever the password.
 */
@Injectable()
export class LoginThrottler {
  private readonly windows = new Map<string, Window>();

  check(email: string, ip: string, now = Date.now()): void {
    for (const [key, limit] of this.keys(email, ip)) {
      const w = this.windows.get(key);
      if (w && w.resetAt > now && w.failures >= limit) {
        throw new DomainError(
          'TOO_MANY_REQUESTS',
          'Too many failed logins; try again later',
          undefined,
          Math.ceil((w.resetAt - now) / 1000),
        );
      }
    }
  }

  fail(email: string, ip: string, now = Date.now()): void {
    for (const [key] of this.keys(email, ip)) {
      const w = this.windows.get(key);
      if (!w || w.resetAt <= now)
        this.windows.set(key, { failures: 1, resetAt: now + LOGIN_LIMITS.windowMs });
      else w.failures++;
    }
    if (this.windows.size > 100_000) this.sweep(now);
  }

  succeed(email: string): void {
    this.windows.delete(`account:${email}`);
  }

  private keys(email: string, ip: string): [string, number][] {
    return [
      [`account:${email}`, LOGIN_LIMITS.perAccount],
      [`client:${ip}`, LOGIN_LIMITS.perClient],
    ];
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}
