import { createTestApp, TestApp } from '../create-test-app';
import { makeUser, uniqueEmail } from '../factories/users';
import { b64url as b64, signJwt as sign, TEST_JWT_SECRET } from '../support/jwt';

/** OWASP API2 (broken authentication). The basic token cases live in test/e2e/auth.e2e-spec.ts. */

const WEAK_SECRETS = [
  'secret',
  'Secret',
  'changeme',
  'change-me',
  'password',
  '123456',
  'jwt_secret',
  'jwt-secret',
  'your-256-bit-secret',
  'supersecret',
  'bibarys',
  'test',
  'key',
  'admin',
  '',
];

describe('authentication (OWASP API2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses tokens signed with common weak secrets and with other algorithms', async () => {
    const u = await makeUser(t.http);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: u.id,
      role: 'admin',
      tv: 0,
      iss: 'bibarys',
      aud: 'bibarys-api',
      iat: now,
      exp: now + 600,
    };
    const tokens = [
      ...WEAK_SECRETS.map((s) => sign({ alg: 'HS256', typ: 'JWT' }, claims, s)),
      sign({ alg: 'HS512', typ: 'JWT' }, claims, TEST_JWT_SECRET, 'sha512'),
      sign({ alg: 'HS384', typ: 'JWT' }, claims, TEST_JWT_SECRET, 'sha384'),
      `${b64({ alg: 'none' })}.${b64(claims)}.`,
      `${b64({ alg: 'NONE' })}.${b64(claims)}.`,
      `${b64({ alg: 'RS256' })}.${b64(claims)}.c2lnbmF0dXJl`,
      '',
      'Bearer',
      'a.b.c',
      'x'.repeat(5000),
    ];
    for (const token of tokens) {
      const res = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).not.toMatch(/stack|at \w+ \(/);
    }
    for (const header of [
      'Basic YWRtaW46YWRtaW4=',
      u.token,
      `bearer${u.token}`,
      `Token ${u.token}`,
    ]) {
      expect((await t.http.get('/api/v1/auth/me').set('Authorization', header)).status).toBe(401);
    }
  });

  it('answers an unknown email and a wrong password alike, in body and (roughly) in time', async () => {
    const u = await makeUser(t.http);
    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', email)
        .send({ email, password: 'not-the-password' });
      return { ms: Number(process.hrtime.bigint() - start) / 1e6, res };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    let bodies: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await time(u.email);
      const b = await time(uniqueEmail('ghost'));
      known.push(a.ms);
      unknown.push(b.ms);
      bodies = [a.res.body, b.res.body];
      expect(a.res.status).toBe(401);
      expect(b.res.status).toBe(401);
    }
    expect(bodies[0]).toEqual(bodies[1]);
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    // both pay for a bcrypt comparison: without the dummy hash an unknown email answers ~50x faster
    expect(median(unknown)).toBeGreaterThan(median(known) / 4);
  });
});
