import { User } from '../../src/modules/users/user.entity';
import { ADMIN, createTestApp, TestApp } from '../create-test-app';
import { login, makeUser, uniqueEmail } from '../factories/users';
import { b64url as b64, signJwt as sign } from '../support/jwt';

describe('auth (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const register = (body: Record<string, unknown>) =>
    t.http.post('/api/v1/auth/register').send(body);
  const valid = () => ({
    email: uniqueEmail(),
    password: 'password-123',
    first_name: 'Ерлан',
    last_name: 'Серіков',
  });

  describe('POST /auth/register', () => {
    it('creates a customer, trims and lower-cases the email, never returns the hash', async () => {
      const body = valid();
      const res = await register({ ...body, email: `  ${body.email.toUpperCase()} ` });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        email: body.email,
        role: 'customer',
        is_active: true,
        phone: null,
      });
      expect(Object.keys(res.body).sort()).toEqual([
        'created_at',
        'email',
        'first_name',
        'id',
        'is_active',
        'is_verified',
        'last_name',
        'phone',
        'role',
        'updated_at',
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/password|\$2[aby]\$/);
    });

    it('registers a seller when asked', async () => {
      const res = await register({ ...valid(), role: 'seller' });
      expect(res.status).toBe(201);
      expect(res.body.role).toBe('seller');
    });

    it('refuses role admin with 400 and creates nothing', async () => {
      const body = { ...valid(), role: 'admin' };
      const res = await register(body);
      expect(res.status).toBe(400);
      expect(await t.ds.getRepository(User).countBy({ email: body.email })).toBe(0);
    });

    it('answers 409 for a taken email, whatever its case', async () => {
      const body = valid();
      expect((await register(body)).status).toBe(201);
      const res = await register({ ...valid(), email: body.email.toUpperCase() });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    });

    it('gives 400 for short, long, or missing fields and for unknown fields', async () => {
      for (const body of [
        { ...valid(), password: 'short7!' },
        { ...valid(), password: 'x'.repeat(129) },
        { ...valid(), email: 'not-an-email' },
        { ...valid(), first_name: undefined },
        { ...valid(), is_active: false },
        { ...valid(), id: '00000000-0000-0000-0000-000000000000' },
      ]) {
        const res = await register(body);
        expect(res.status).toBe(400);
        expect(res.body.statusCode).toBe(400);
        expect(res.body.error).toBe('Bad Request');
        expect(res.body.message).toBeDefined();
      }
      expect((await register({ ...valid(), password: 'x'.repeat(128) })).status).toBe(201);
      expect((await register({ ...valid(), password: '12345678' })).status).toBe(201);
    });

    it('answers malformed JSON with 400 and a body over 1 MB with 413', async () => {
      const bad = await t.http
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send('{"email":');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const huge = await t.http
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ ...valid(), first_name: 'x'.repeat(1_100_000) }));
      expect(huge.status).toBe(413);
      expect(huge.body.statusCode).toBe(413);
    });
  });

  describe('POST /auth/login', () => {
    it('returns a bearer token with expiry and the user', async () => {
      const body = valid();
      await register(body);
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: body.email.toUpperCase(), password: body.password });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        token_type: 'bearer',
        expires_in: 900,
        refresh_expires_in: 30 * 86400,
        user: { email: body.email },
      });
      expect(res.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const [h, p] = res.body.access_token
        .split('.')
        .slice(0, 2)
        .map((s: string) => JSON.parse(Buffer.from(s, 'base64url').toString()) as unknown);
      expect(h).toMatchObject({ alg: 'HS256' });
      expect(p).toMatchObject({ iss: 'bibarys', aud: 'bibarys-api', sub: res.body.user.id });
      expect((p as { sid: string }).sid).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('gives the same 401 for an unknown email and a wrong password', async () => {
      const body = valid();
      await register(body);
      const wrong = await t.http
        .post('/api/v1/auth/login')
        .send({ email: body.email, password: 'wrong-password' });
      const unknown = await t.http
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail(), password: 'wrong-password' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
    });

    it('answers 403 to a blocked user with the right password', async () => {
      const body = valid();
      await register(body);
      await t.ds.getRepository(User).update({ email: body.email }, { isActive: false });
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: body.email, password: body.password });
      expect(res.status).toBe(403);
    });

    it('gives 400 for a body without a password', async () => {
      expect((await t.http.post('/api/v1/auth/login').send({ email: 'a@b.kz' })).status).toBe(400);
    });
  });

  describe('GET /auth/me and tokens', () => {
    it('returns the signed-in user, and 401 without a token', async () => {
      const u = await makeUser(t.http);
      const me = await t.http.get('/api/v1/auth/me').set(u.auth);
      expect(me.status).toBe(200);
      expect(me.body.email).toBe(u.email);
      expect((await t.http.get('/api/v1/auth/me')).status).toBe(401);
    });

    it('refuses forged, tampered, expired and alg=none tokens with 401', async () => {
      const u = await makeUser(t.http);
      const now = Math.floor(Date.now() / 1000);
      const { sid } = JSON.parse(Buffer.from(u.token.split('.')[1], 'base64url').toString());
      const claims = {
        sub: u.id,
        role: 'admin',
        tv: 0,
        sid,
        iss: 'bibarys',
        aud: 'bibarys-api',
        iat: now,
        exp: now + 600,
      };
      const [h, , s] = u.token.split('.');
      const second = await makeUser(t.http);
      const other = JSON.parse(Buffer.from(second.token.split('.')[1], 'base64url').toString());
      const tokens = [
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
        `${h}.${b64(claims)}.${s}`,
        sign({ alg: 'HS256', typ: 'JWT' }, claims, 'secret'),
        sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now - 10 }),
        sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, iss: 'someone-else' }),
        sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'other-api' }),
        // no session, another user's session, a made-up session
        sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, sid: undefined }),
        sign({ alg: 'HS256', typ: 'JWT' }, { ...claims, sid: other.sid }),
        sign(
          { alg: 'HS256', typ: 'JWT' },
          { ...claims, sid: '00000000-0000-4000-8000-000000000000' },
        ),
        'garbage',
      ];
      for (const token of tokens) {
        const res = await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
        expect(res.status).toBe(401);
      }
      // the same claims, signed properly, do work: the checks above fail for the reason named
      const good = sign({ alg: 'HS256', typ: 'JWT' }, claims);
      expect(
        (await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${good}`)).status,
      ).toBe(200);
    });

    it('reads the Authorization header as passport-jwt did: any case and spacing of the scheme', async () => {
      const u = await makeUser(t.http);
      const me = (header: string) => t.http.get('/api/v1/auth/me').set('Authorization', header);
      for (const ok of [`Bearer ${u.token}`, `bearer ${u.token}`, `BEARER  ${u.token}`]) {
        expect((await me(ok)).status).toBe(200);
      }
      expect((await me(`Bearer\t${u.token}`)).status).toBe(200);
      expect((await me(` Bearer ${u.token} `)).status).toBe(200);
      for (const bad of [u.token, 'Bearer', `Token ${u.token}`, `Bearer ${u.token}x`]) {
        const res = await me(bad);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
      // a bad token on a public route reads as anonymous, not as an error
      expect(
        (await t.http.get('/api/v1/products').set('Authorization', 'Bearer nope')).status,
      ).toBe(200);
    });

    it('stops a blocked user on the next request', async () => {
      const u = await makeUser(t.http);
      expect((await t.http.get('/api/v1/auth/me').set(u.auth)).status).toBe(200);
      await t.ds.getRepository(User).update({ id: u.id }, { isActive: false });
      expect((await t.http.get('/api/v1/auth/me').set(u.auth)).status).toBe(401);
    });
  });

  describe('PUT /auth/profile', () => {
    it('updates name and phone', async () => {
      const u = await makeUser(t.http);
      const res = await t.http
        .put('/api/v1/auth/profile')
        .set(u.auth)
        .send({ first_name: 'Дана', phone: '+77011234567' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ first_name: 'Дана', phone: '+77011234567' });
    });

    it('refuses role, email and is_active with 400 and changes nothing', async () => {
      const u = await makeUser(t.http);
      for (const body of [{ role: 'admin' }, { email: 'x@y.kz' }, { is_active: false }]) {
        expect((await t.http.put('/api/v1/auth/profile').set(u.auth).send(body)).status).toBe(400);
      }
      const me = await t.http.get('/api/v1/auth/me').set(u.auth);
      expect(me.body).toMatchObject({ role: 'customer', email: u.email, is_active: true });
    });

    it('changes the password only with the current one', async () => {
      const u = await makeUser(t.http);
      expect(
        (
          await t.http
            .put('/api/v1/auth/profile')
            .set(u.auth)
            .send({ new_password: 'new-password-1' })
        ).status,
      ).toBe(400);
      expect(
        (
          await t.http
            .put('/api/v1/auth/profile')
            .set(u.auth)
            .send({ new_password: 'new-password-1', current_password: 'nope-nope' })
        ).status,
      ).toBe(400);
      const ok = await t.http
        .put('/api/v1/auth/profile')
        .set(u.auth)
        .send({ new_password: 'new-password-1', current_password: u.password });
      expect(ok.status).toBe(200);
      await expect(login(t.http, u.email, 'new-password-1')).resolves.toMatchObject({ id: u.id });
      expect(
        (await t.http.post('/api/v1/auth/login').send({ email: u.email, password: u.password }))
          .status,
      ).toBe(401);
    });

    it('a password change ends every other session at once; this one goes on (answer 200)', async () => {
      const me = (who: { auth: { Authorization: string } }) =>
        t.http.get('/api/v1/auth/me').set(who.auth);
      const u = await makeUser(t.http);
      const second = await login(t.http, u.email, u.password); // another device
      const third = await t.http
        .post('/api/v1/auth/login')
        .send({ email: u.email, password: u.password }); // a third
      expect((await me(u)).status).toBe(200); // the account is in the user cache now
      expect((await me(second)).status).toBe(200);
      const renamed = await t.http
        .put('/api/v1/auth/profile')
        .set(u.auth)
        .send({ first_name: 'Ая' });
      expect(renamed.status).toBe(200);
      expect((await me(second)).status).toBe(200); // a name change keeps the sessions
      const res = await t.http
        .put('/api/v1/auth/profile')
        .set(u.auth)
        .send({ new_password: 'new-password-2', current_password: u.password });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: u.id, email: u.email, first_name: 'Ая' });
      expect((await me(u)).status).toBe(200);
      expect((await me(second)).status).toBe(401);
      const refreshed = await t.http
        .post('/api/v1/auth/refresh')
        .send({ refresh_token: third.body.refresh_token });
      expect(refreshed.status).toBe(401);
      const sessions = await t.http.get('/api/v1/auth/sessions').set(u.auth);
      expect(sessions.body).toHaveLength(1);
      expect(sessions.body[0].current).toBe(true);
      const fresh = await login(t.http, u.email, 'new-password-2');
      expect((await me(fresh)).status).toBe(200);
    });

    it('needs a token', async () => {
      expect((await t.http.put('/api/v1/auth/profile').send({ first_name: 'X' })).status).toBe(401);
    });
  });

  it('creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
    const a = await login(t.http, ADMIN.email, ADMIN.password);
    expect(a.role).toBe('admin');
  });
});

describe('login throttling (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('locks an account with 429 and Retry-After after repeated failures, even with the right password', async () => {
    const u = await makeUser(t.http);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (
          await t.http
            .post('/api/v1/auth/login')
            .send({ email: u.email, password: 'wrong-pass-' + i })
        ).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: u.email, password: u.password });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits one client across many accounts, and a spoofed X-Forwarded-For does not reset it', async () => {
    let first429 = -1;
    for (let i = 0; i < 30 && first429 < 0; i++) {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `10.0.0.${i}`)
        .send({ email: uniqueEmail('spray'), password: 'wrong-password' });
      if (res.status === 429) first429 = i;
      else expect(res.status).toBe(401);
    }
    expect(first429).toBeGreaterThan(0);
    expect(first429).toBeLessThan(25);
  });
});
