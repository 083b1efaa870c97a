import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import { CounterState, RateLimitCounters } from './rate-limit.repository';
import {
  Outcome,
  Partition,
  PartitionKey,
  RateLimitPolicy,
  RateLimitPolicyName,
  ratePolicies,
} from './rate-limit-policies';

/** The values a request is counted by (an email is trimmed and lower-cased here). */
export interface RateLimitSubject {
  client: string;
  bodyEmail?: string;
  userEmail?: string;
}

/** One partition's counter after this request, for the RateLimit headers. */
export interface PartitionState {
  partition: Partition;
  remaining: number;
  /** Seconds until the window ends (the whole window when none is open). */
  resetSeconds: number;
}

/** What `begin` found: each counted partition's state, and the one past its limit, if any. */
export interface RateLimitTicket {
  policy: RateLimitPolicy;
  keys: Map<Partition, string>;
  states: PartitionState[];
  limited?: PartitionState;
  /** The client was already refused in this window and came back anyway (answered from memory). */
  repeat?: boolean;
}

const SWEEP_MS = 5 * 60_000;

/**
 * Named rate-limit policies counted in the database, so that every server process shares them.
 * A request is counted in two steps: `begin` before it runs (may find it limited), `settle` with
 * its outcome after it ran (for policies that count failures or give attempts back).
 */
@Injectable()
export class RateLimits implements OnModuleDestroy {
  private readonly policies: Record<RateLimitPolicyName, RateLimitPolicy>;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly counters: RateLimitCounters,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policies = ratePolicies(config.rateLimits);
    this.sweeper = setInterval(
      () => void this.counters.deleteExpired().catch(() => undefined),
      SWEEP_MS,
    );
    this.sweeper.unref();
  }

  /** Counts (or reads) every partition of the policy before the request runs. */
  async begin(name: RateLimitPolicyName, subject: RateLimitSubject): Promise<RateLimitTicket> {
    const policy = this.policies[name];
    const keys = new Map<Partition, string>();
    const states: PartitionState[] = [];
    let limited: PartitionState | undefined;
    let repeat = false;
    for (const p of policy.partitions) {
      const key = keyOf(p.key, subject);
      if (key === undefined) continue; // no email in the body: validation answers 400
      keys.set(p, key);
      let state: PartitionState;
      if (p.counting === 'failure') {
        state = stateOf(p, await this.counters.peek(p, key));
        if (state.remaining === 0) limited ??= state;
      } else {
        const c = await this.counters.consume(p, key);
        state = stateOf(p, c);
        if (c.exceeded && !limited) {
          limited = state;
          repeat = !!c.fromMemory;
        }
      }
      states.push(state);
    }
    if (limited) {
      // the attempt does not happen: attempt counters get their point back
      for (const [i, st] of states.entries()) {
        const p = st.partition;
        if (p.counting === 'attempt' && st !== limited) {
          states[i] = stateOf(p, await this.counters.giveBack(p, keys.get(p)!));
        }
      }
    }
    return { policy, keys, states, limited, repeat };
  }

  /** Applies the request's outcome; returns the partitions' states after it. */
  async settle(ticket: RateLimitTicket, error: unknown): Promise<PartitionState[]> {
    const outcome: Outcome = ticket.policy.outcome(error);
    const states: PartitionState[] = [];
    for (const before of ticket.states) {
      const p = before.partition;
      const key = ticket.keys.get(p)!;
      let after: CounterState | undefined;
      if (p.counting === 'attempt' && outcome === 'success')
        after = await this.counters.clear(p, key);
      else if (p.counting === 'attempt' && outcome === 'neutral')
        after = await this.counters.giveBack(p, key);
      else if (p.counting === 'failure' && outcome === 'failure')
        after = await this.counters.add(p, key);
      states.push(after ? stateOf(p, after) : before);
    }
    return states;
  }

  /** The 429 for a limited ticket, with Retry-After. */
  tooMany(ticket: RateLimitTicket): DomainError {
    const s = ticket.limited!;
    return new DomainError(
      'TOO_MANY_REQUESTS',
      `Too many requests (${s.partition.name}); try again later`,
      undefined,
      Math.max(1, s.resetSeconds),
    );
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }
}

export const normalizeEmailKey = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().toLowerCase() : undefined;

function keyOf(k: PartitionKey, s: RateLimitSubject): string | undefined {
  switch (k) {
    case 'client':
      return s.client;
    case 'body-email':
      return normalizeEmailKey(s.bodyEmail);
    case 'user-email':
      return normalizeEmailKey(s.userEmail);
  }
}

function stateOf(p: Partition, c: CounterState): PartitionState {
  return {
    partition: p,
    remaining: Math.max(0, p.limit.points - c.consumed),
    resetSeconds: c.msBeforeReset > 0 ? Math.ceil(c.msBeforeReset / 1000) : p.limit.durationSeconds,
  };
}
