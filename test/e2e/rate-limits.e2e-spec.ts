import { DataSource } from 'typeorm';

import { REPEAT_REFUSAL_DELAY_MS } from '../../src/common/rate-limit/rate-limit.interceptor';
import { RateLimits } from '../../src/common/rate-limit/rate-limits.service';
import { AccountLinksService } from '../../src/modules/auth/account-links.service';
import { AccountToken } from '../../src/modules/auth/auth.entities';
import { User } from '../../src/modules/users/user.entity';
import { createTestApp, createTestDatabase, isPgRun, TestApp } from '../create-test-app';
import { uniqueEmail } from '../factories/users';

/**
 * Rate limits counted in the database (issue 16): behind TRUST_PROXY=loopback the client address
 * is the X-Forwarded-For the test sends, so each test speaks as clients of its own.
 */
let clientSeq = 0;
const newClient = () => `198.51.100.${++clientSeq}`;

const body = () => ({
  email: uniqueEmail('flood'),
  password: 'password-123',
  first_name: 'Айгүл',
  last_name: 'Нұрланова',
});

describe('rate limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_REGISTER: '3/1h',
      RATE_LIMIT_LOGIN_ACCOUNT: '5/15m',
      RATE_LIMIT_LOGIN_CLIENT: '20/15m',
      RATE_LIMIT_PASSWORD_FORGOT: '3/1h',
    });
  });
  afterAll(() => t.close());

  const register = (client: string, b: object = body()) =>
    t.http.post('/api/v1/auth/register').set('X-Forwarded-For', client).send(b);
  const login = (client: string, email: string, password: string) =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', client).send({ email, password });

  describe('POST /auth/register', () => {
    it('limits a flood from one client with 429, Retry-After and the RateLimit headers; creates nothing past it', async () => {
      const client = newClient();
      const first = await register(client);
      expect(first.status).toBe(201);
      expect(first.headers['ratelimit-policy']).toBe('"register-client";q=3;w=3600');
      expect(first.headers['ratelimit']).toMatch(/^"register-client";r=2;t=(3600|359\d)$/);
      expect((await register(client)).status).toBe(201);
      expect((await register(client)).status).toBe(201);
      const refused = body();
      const res = await register(client, refused);
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
      const retry = Number(res.headers['retry-after']);
      expect(retry).toBeGreaterThan(3500);
      expect(retry).toBeLessThanOrEqual(3600);
      expect(res.headers['ratelimit-policy']).toBe('"register-client";q=3;w=3600');
      expect(res.headers['ratelimit']).toMatch(/^"register-client";r=0;t=\d+$/);
      expect(await t.ds.getRepository(User).countBy({ email: refused.email })).toBe(0);
      // bad bodies count too: the flood is of requests, not of accounts; a client that comes
      // back after its 429 gets the next one a moment later (answered from memory, no count)
      const started = Date.now();
      const again = await register(client, { ...body(), password: 'short' });
      expect(again.status).toBe(429);
      expect(again.headers['retry-after']).toBeDefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(REPEAT_REFUSAL_DELAY_MS - 50);
    });

    it('does not limit another client', async () => {
      const flooder = newClient();
      for (let i = 0; i < 4; i++) await register(flooder);
      expect((await register(flooder)).status).toBe(429);
      const other = await register(newClient());
      expect(other.status).toBe(201);
      expect(other.headers['ratelimit']).toMatch(/^"register-client";r=2;/);
    });

    it('counts a 400 and a 409 as requests', async () => {
      const client = newClient();
      const b = body();
      expect((await register(client, b)).status).toBe(201);
      expect((await register(client, b)).status).toBe(409);
      expect((await register(client, { ...body(), role: 'admin' })).status).toBe(400);
      expect((await register(client)).status).toBe(429);
    });
  });

  describe('POST /auth/login', () => {
    const makeAccount = async () => {
      const b = body();
      expect((await register(newClient(), b)).status).toBe(201);
      return b;
    };

    it('carries both policies in the headers and counts only failures', async () => {
      const u = await makeAccount();
      const client = newClient();
      const bad = await login(client, u.email, 'wrong-password');
      expect(bad.status).toBe(401);
      expect(bad.headers['ratelimit-policy']).toBe(
        '"login-account";q=5;w=900, "login-client";q=20;w=900',
      );
      expect(bad.headers['ratelimit']).toMatch(
        /^"login-account";r=4;t=\d+, "login-client";r=19;t=\d+$/,
      );
      const ok = await login(client, u.email, u.password);
      expect(ok.status).toBe(200);
      // success clears the account's failures; the client keeps its one failure
      expect(ok.headers['ratelimit']).toMatch(/^"login-account";r=5;t=900, "login-client";r=19;/);
      const again = await login(client, u.email, u.password);
      expect(again.headers['ratelimit']).toMatch(
        /^"login-account";r=5;t=900, "login-client";r=19;/,
      );
    });

    it('locks an account against failures from many clients, even with the right password', async () => {
      const u = await makeAccount();
      for (let i = 0; i < 5; i++)
        expect((await login(newClient(), u.email, `wrong-${i}`)).status).toBe(401);
      const res = await login(newClient(), u.email.toUpperCase(), u.password);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.headers['ratelimit']).toMatch(/"login-account";r=0;/);
    });

    it('lets concurrent wrong guesses at one account through at most up to the limit', async () => {
      const u = await makeAccount();
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => login(newClient(), u.email, `guess-${i}`)),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    });

    it('does not keep an account locked after a burst of parallel logins that succeeded', async () => {
      const u = await makeAccount();
      const burst = await Promise.all(
        Array.from({ length: 10 }, () => login(newClient(), u.email, u.password)),
      );
      expect(burst.every((r) => r.status === 200 || r.status === 429)).toBe(true);
      expect(burst.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(5);
      // the successes cleared the account counter: no lock stays behind
      expect((await login(newClient(), u.email, u.password)).status).toBe(200);
      expect((await login(newClient(), u.email, u.password)).status).toBe(200);
    });

    it('limits one client spraying many accounts; another client still signs in', async () => {
      const u = await makeAccount();
      const sprayer = newClient();
      let first429 = -1;
      for (let i = 0; i < 25 && first429 < 0; i++) {
        const res = await login(sprayer, uniqueEmail('spray'), 'wrong-password');
        if (res.status === 429) first429 = i;
        else expect(res.status).toBe(401);
      }
      expect(first429).toBe(20);
      expect((await login(sprayer, u.email, u.password)).status).toBe(429);
      expect((await login(newClient(), u.email, u.password)).status).toBe(200);
    });
  });

  describe('POST /auth/password/forgot and POST /auth/email/verify-request', () => {
    const forgot = (client: string, email: string) =>
      t.http.post('/api/v1/auth/password/forgot').set('X-Forwarded-For', client).send({ email });
    const links = (userId: string, purpose: 'password_reset' | 'email_verify') =>
      t.app.get(DataSource).getRepository(AccountToken).countBy({ userId, purpose });

    it('limits forgot-password per email across clients; past it no reset link is made', async () => {
      const u = body();
      const reg = await register(newClient(), u);
      expect(reg.status).toBe(201);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await forgot(newClient(), u.email)).status);
      const refused = await forgot(newClient(), u.email);
      expect([...statuses, refused.status]).toEqual([202, 202, 202, 429]);
      expect(refused.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['ratelimit-policy']).toContain('"password-forgot-email";q=3;w=3600');
      await t.app.get(AccountLinksService).settled();
      expect(await links(reg.body.id, 'password_reset')).toBe(3);
    });

    it('limits forgot-password per client across emails, known or not', async () => {
      const client = newClient();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await forgot(client, uniqueEmail('f'))).status);
      expect(statuses).toEqual([202, 202, 202, 429]);
      expect((await forgot(newClient(), uniqueEmail('f'))).status).toBe(202);
    });

    it('limits verification requests per account; past it no link is made', async () => {
      const u = body();
      const reg = await register(newClient(), u);
      const auth = await login(newClient(), u.email, u.password);
      const bearer = { Authorization: `Bearer ${auth.body.access_token}` };
      const ask = (client: string) =>
        t.http.post('/api/v1/auth/email/verify-request').set('X-Forwarded-For', client).set(bearer);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await ask(newClient())).status);
      expect(statuses).toEqual([202, 202, 202, 429]);
      await t.app.get(AccountLinksService).settled();
      // the welcome mail's link and the three asked for
      expect(await links(reg.body.id, 'email_verify')).toBe(4);
    });
  });

  // Two apps in one Node process on one SQLite file would stall each other's busy waits (see
  // outbox.e2e-spec.ts): the two-instance run needs PostgreSQL (`npm run test:pg`).
  if (isPgRun())
    describe('two server processes on one PostgreSQL database', () => {
      let a: TestApp;
      let b: TestApp;
      const db = createTestDatabase();
      beforeAll(async () => {
        const env = {
          TRUST_PROXY: 'loopback',
          RATE_LIMIT_REGISTER: '4/1h',
          RATE_LIMIT_PASSWORD_FORGOT: '3/1h',
        };
        a = await createTestApp(env, await db);
        b = await createTestApp(env, await db);
      });
      afterAll(async () => {
        await a?.close();
        await b?.close();
        await (await db).drop();
      });
      const via = (app: TestApp) => (path: string, client: string, send: object) =>
        app.http.post(`/api/v1/auth/${path}`).set('X-Forwarded-For', client).send(send);

      it('share the registration limit', async () => {
        const client = newClient();
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++)
          statuses.push((await via(i % 2 ? b : a)('register', client, body())).status);
        expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
      });

      it('share the login limits per account and per client', async () => {
        const u = body();
        expect((await via(a)('register', newClient(), u)).status).toBe(201);
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++)
          statuses.push(
            (
              await via(i % 2 ? b : a)('login', newClient(), {
                email: u.email,
                password: 'wrong-pw',
              })
            ).status,
          );
        expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
        expect(
          (await via(b)('login', newClient(), { email: u.email, password: u.password })).status,
        ).toBe(429);
        const sprayer = newClient();
        let first429 = -1;
        for (let i = 0; i < 25 && first429 < 0; i++) {
          const res = await via(i % 2 ? b : a)('login', sprayer, {
            email: uniqueEmail('s'),
            password: 'wrong-pw',
          });
          if (res.status === 429) first429 = i;
        }
        expect(first429).toBe(20);
      });

      it('share the forgot-password and verification-request limits', async () => {
        // the routes come with the sessions work; the policies are counted here as they will be
        for (const name of ['password-forgot', 'email-verify-request'] as const) {
          const email = uniqueEmail(name);
          const subject = (client: string) =>
            name === 'password-forgot'
              ? { client, bodyEmail: email }
              : { client, userEmail: email };
          const limitedAt: (string | undefined)[] = [];
          for (let i = 0; i < 4; i++) {
            const app = i % 2 ? b : a;
            const ticket = await app.app.get(RateLimits).begin(name, subject(newClient()));
            limitedAt.push(ticket.limited?.partition.name);
          }
          expect(limitedAt).toEqual([undefined, undefined, undefined, `${name}-email`]);
          const client = newClient();
          const perClient: (string | undefined)[] = [];
          for (let i = 0; i < 4; i++) {
            const app = i % 2 ? b : a;
            const s = { client, bodyEmail: uniqueEmail(), userEmail: uniqueEmail() };
            perClient.push((await app.app.get(RateLimits).begin(name, s)).limited?.partition.name);
          }
          expect(perClient).toEqual([undefined, undefined, undefined, `${name}-client`]);
        }
      });
    });
});
