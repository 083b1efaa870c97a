import { loadConfig } from '../../config/app-config';
import { DomainError } from '../errors/domain-error';
import type { CounterSpec, CounterState, RateLimitCounters } from './rate-limit.repository';
import { rateLimitHeaders } from './rate-limit-headers';
import { RateLimits, RateLimitSubject } from './rate-limits.service';

/** In-memory counters with a fixed window per key, like the database stores. */
class FakeCounters {
  now = 1_000_000;
  rows = new Map<string, { points: number; expire: number }>();
  calls: string[] = [];
  private row(spec: CounterSpec, key: string) {
    const k = `${spec.name}:${key}`;
    let r = this.rows.get(k);
    if (!r || r.expire <= this.now) {
      r = { points: 0, expire: this.now + spec.limit.durationSeconds * 1000 };
      this.rows.set(k, r);
    }
    return r;
  }
  private state(spec: CounterSpec, key: string): CounterState {
    const r = this.rows.get(`${spec.name}:${key}`);
    return r && r.expire > this.now
      ? { consumed: r.points, msBeforeReset: r.expire - this.now }
      : { consumed: 0, msBeforeReset: 0 };
  }
  async consume(spec: CounterSpec, key: string) {
    this.calls.push(`consume ${spec.name}`);
    const r = this.row(spec, key);
    r.points++;
    return { ...this.state(spec, key), exceeded: r.points > spec.limit.points };
  }
  async add(spec: CounterSpec, key: string) {
    this.calls.push(`add ${spec.name}`);
    this.row(spec, key).points++;
    return this.state(spec, key);
  }
  async giveBack(spec: CounterSpec, key: string) {
    this.calls.push(`giveBack ${spec.name}`);
    this.row(spec, key).points--;
    return this.state(spec, key);
  }
  async clear(spec: CounterSpec, key: string) {
    this.calls.push(`clear ${spec.name}`);
    this.rows.delete(`${spec.name}:${key}`);
    return this.state(spec, key);
  }
  async peek(spec: CounterSpec, key: string) {
    return this.state(spec, key);
  }
  async deleteExpired() {}
}

const config = loadConfig({
  NODE_ENV: 'test',
  RATE_LIMIT_LOGIN_ACCOUNT: '3/15m',
  RATE_LIMIT_LOGIN_CLIENT: '5/15m',
  RATE_LIMIT_REGISTER: '2/1h',
  RATE_LIMIT_PASSWORD_FORGOT: '2/1h',
});
const WRONG = new DomainError('INVALID_CREDENTIALS', 'Invalid email or password');
const BLOCKED = new DomainError('USER_BLOCKED', 'blocked');
const BAD_BODY = new DomainError('BAD_REQUEST', 'bad');

describe('RateLimits', () => {
  let counters: FakeCounters;
  let limits: RateLimits;
  beforeEach(() => {
    counters = new FakeCounters();
    limits = new RateLimits(counters as unknown as RateLimitCounters, config);
  });
  afterEach(() => limits.onModuleDestroy());

  /** Runs one request through begin → (handler outcome) → settle; returns 429 or the outcome. */
  const request = async (
    name: Parameters<RateLimits['begin']>[0],
    s: RateLimitSubject,
    error?: unknown,
  ) => {
    const ticket = await limits.begin(name, s);
    if (ticket.limited)
      return { status: 429, ticket, retryAfter: limits.tooMany(ticket).retryAfter };
    const states = await limits.settle(ticket, error);
    return { status: error ? 4 : 2, ticket, states };
  };

  describe('register (every request counts, per client)', () => {
    it('allows the limit, then answers 429 with Retry-After; another client is not limited', async () => {
      const a = { client: '10.0.0.1' };
      expect((await request('register', a)).status).toBe(2);
      expect((await request('register', a, BAD_BODY)).status).toBe(4); // a 400 counts too
      const third = await request('register', a);
      expect(third.status).toBe(429);
      expect(third.retryAfter).toBe(3600);
      expect(third.ticket.limited?.partition.name).toBe('register-client');
      expect((await request('register', { client: '10.0.0.2' })).status).toBe(2);
    });

    it('starts again when the window ends', async () => {
      const a = { client: '10.0.0.1' };
      await request('register', a);
      await request('register', a);
      expect((await request('register', a)).status).toBe(429);
      counters.now += 3600 * 1000;
      expect((await request('register', a)).status).toBe(2);
    });
  });

  describe('login (attempts per account, failures per client)', () => {
    const dana = { client: '10.0.0.1', bodyEmail: ' Dana@Example.KZ ' };

    it('locks the account after the limit of failures, even for the right password', async () => {
      for (let i = 0; i < 3; i++) expect((await request('login', dana, WRONG)).status).toBe(4);
      expect((await request('login', dana)).status).toBe(429);
      // the email is one account whatever its case and spaces
      expect((await request('login', { ...dana, bodyEmail: 'dana@example.kz' })).status).toBe(429);
    });

    it('a success clears the account counter; the client keeps its failures', async () => {
      await request('login', dana, WRONG);
      await request('login', dana, WRONG);
      const ok = await request('login', dana);
      expect(ok.status).toBe(2);
      const [account, client] = ok.states!;
      expect(account).toMatchObject({ remaining: 3 });
      expect(client).toMatchObject({ remaining: 3 });
      for (let i = 0; i < 3; i++) expect((await request('login', dana, WRONG)).status).toBe(4);
      expect((await request('login', dana)).status).toBe(429);
    });

    it('the right password of a blocked account clears like a success; a 400 gives the attempt back', async () => {
      await request('login', dana, WRONG);
      await request('login', dana, BLOCKED);
      expect(counters.calls).toContain('clear login-account');
      for (let i = 0; i < 5; i++) await request('login', dana, BAD_BODY);
      expect(await limits.begin('login', dana).then((t) => t.states[0].remaining)).toBe(2);
    });

    it('limits one client spraying many accounts, and only by its failures', async () => {
      for (let i = 0; i < 10; i++)
        await request('login', { client: '10.0.0.9', bodyEmail: `ok${i}@x.kz` });
      for (let i = 0; i < 5; i++)
        expect(
          (await request('login', { client: '10.0.0.9', bodyEmail: `u${i}@x.kz` }, WRONG)).status,
        ).toBe(4);
      const next = await request('login', { client: '10.0.0.9', bodyEmail: 'fresh@x.kz' });
      expect(next.status).toBe(429);
      expect(next.ticket.limited?.partition.name).toBe('login-client');
      // the limited request was no attempt: the fresh account got its point back
      expect(next.ticket.states[0]).toMatchObject({ remaining: 3 });
      expect(
        (await request('login', { client: '10.0.0.10', bodyEmail: 'fresh@x.kz' })).status,
      ).toBe(2);
    });

    it('counts no account partition for a body without an email (validation answers 400)', async () => {
      const t = await limits.begin('login', { client: '10.0.0.1' });
      expect(t.states.map((s) => s.partition.name)).toEqual(['login-client']);
    });
  });

  describe('password-forgot and email-verify-request (per email and per client)', () => {
    it('limits one email from any client, and one client across emails', async () => {
      const r = (client: string, bodyEmail: string) =>
        request('password-forgot', { client, bodyEmail });
      expect((await r('10.0.0.1', 'a@x.kz')).status).toBe(2);
      expect((await r('10.0.0.2', 'a@x.kz')).status).toBe(2);
      const third = await r('10.0.0.3', 'A@x.kz');
      expect(third.status).toBe(429);
      expect(third.ticket.limited?.partition.name).toBe('password-forgot-email');
      expect((await r('10.0.0.1', 'b@x.kz')).status).toBe(2);
      expect((await r('10.0.0.1', 'c@x.kz')).status).toBe(429); // 10.0.0.1's third request
      expect((await r('10.0.0.4', 'd@x.kz')).status).toBe(2);
    });

    it('keys the verification request by the signed-in user’s email', async () => {
      const t = await limits.begin('email-verify-request', {
        client: '10.0.0.1',
        bodyEmail: 'ignored@x.kz',
        userEmail: 'Me@X.kz',
      });
      expect([...t.keys.values()]).toEqual(['me@x.kz', '10.0.0.1']);
    });
  });

  it('marks a refusal answered from memory as a repeat (the interceptor answers it later)', async () => {
    const a = { client: '10.0.0.1' };
    await request('register', a);
    await request('register', a);
    expect((await limits.begin('register', a)).repeat).toBe(false); // refused by the table
    const fromMemory = counters.consume.bind(counters);
    counters.consume = async (spec, key) => ({
      ...(await fromMemory(spec, key)),
      fromMemory: true,
    });
    const t = await limits.begin('register', a);
    expect(t.limited?.partition.name).toBe('register-client');
    expect(t.repeat).toBe(true);
  });

  it('writes the IETF draft headers for every counted partition', async () => {
    const t = await limits.begin('login', { client: '10.0.0.1', bodyEmail: 'a@x.kz' });
    expect(rateLimitHeaders(t.states)).toEqual({
      'RateLimit-Policy': '"login-account";q=3;w=900, "login-client";q=5;w=900',
      RateLimit: '"login-account";r=2;t=900, "login-client";r=5;t=900',
    });
    expect(rateLimitHeaders([])).toEqual({});
  });
});
