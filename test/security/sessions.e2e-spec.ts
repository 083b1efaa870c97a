import { AccountLinksService } from '../../src/modules/auth/account-links.service';
import { OutboxMail } from '../../src/modules/email/outbox-mail.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { Actor, login, makeUser } from '../factories/users';

/**
 * OWASP API2 for sessions (issue 16): every way a refresh token may be replayed or forged is
 * refused with 401, and nothing is issued (no token in the body, no refresh token row written).
 * Reset and verification link attacks: test/e2e/account-links.e2e-spec.ts.
 */
describe('refresh token attacks (OWASP API2)', () => {
  let t: TestApp;
  let admin: Actor;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  const refresh = (token: string) =>
    t.http.post('/api/v1/auth/refresh').send({ refresh_token: token });
  const issued = async () =>
    Number((await t.ds.query('SELECT COUNT(*) AS n FROM refresh_tokens'))[0].n);

  /** A signed-in user and the refresh token the attack presents, after the setup. */
  const SCENARIOS: Record<string, () => Promise<string>> = {
    'used twice': async () => {
      const u = await makeUser(t.http);
      expect((await refresh(u.refreshToken)).status).toBe(200);
      return u.refreshToken;
    },
    'after logout': async () => {
      const u = await makeUser(t.http);
      await t.http.post('/api/v1/auth/logout').send({ refresh_token: u.refreshToken }).expect(204);
      return u.refreshToken;
    },
    'after logout-all on another device': async () => {
      const u = await makeUser(t.http);
      const other = await login(t.http, u.email, u.password);
      await t.http.post('/api/v1/auth/logout-all').set(other.auth).expect(204);
      return u.refreshToken;
    },
    'after a password reset': async () => {
      const u = await makeUser(t.http);
      await t.http.post('/api/v1/auth/password/forgot').send({ email: u.email }).expect(202);
      await t.app.get(AccountLinksService).settled();
      const mail = await t.ds
        .getRepository(OutboxMail)
        .findOneOrFail({ where: { toAddress: u.email, kind: 'reset' } });
      const token = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail.textBody)![1];
      await t.http
        .post('/api/v1/auth/password/reset')
        .send({ token, new_password: 'reset-pass-123' })
        .expect(204);
      return u.refreshToken;
    },
    'after a password change on another device': async () => {
      const u = await makeUser(t.http);
      const other = await login(t.http, u.email, u.password);
      await t.http
        .put('/api/v1/auth/profile')
        .set(other.auth)
        .send({ current_password: u.password, new_password: 'changed-pass-1' })
        .expect(200);
      return u.refreshToken;
    },
    'of a blocked user': async () => {
      const u = await makeUser(t.http);
      await t.http.put(`/api/v1/admin/users/${u.id}/block`).set(admin.auth).expect(200);
      return u.refreshToken;
    },
    'of a revoked session': async () => {
      const u = await makeUser(t.http);
      const other = await login(t.http, u.email, u.password);
      const sid = JSON.parse(Buffer.from(u.token.split('.')[1], 'base64url').toString()).sid;
      await t.http.delete(`/api/v1/auth/sessions/${sid}`).set(other.auth).expect(204);
      return u.refreshToken;
    },
    tampered: async () => {
      const u = await makeUser(t.http);
      const c = u.refreshToken[10] === 'a' ? 'b' : 'a';
      return u.refreshToken.slice(0, 10) + c + u.refreshToken.slice(11);
    },
    truncated: async () => (await makeUser(t.http)).refreshToken.slice(0, 30),
    'a hash of a real token (what a database leak shows)': async () => {
      await makeUser(t.http);
      const rows = await t.ds.query('SELECT token_hash FROM refresh_tokens');
      expect(rows.length).toBeGreaterThan(0);
      return rows[rows.length - 1].token_hash as string;
    },
  };

  it.each(Object.keys(SCENARIOS))('a refresh token %s → 401, nothing issued', async (name) => {
    const token = await SCENARIOS[name]();
    const before = await issued();
    const res = await refresh(token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    expect(res.body.access_token).toBeUndefined();
    expect(res.body.refresh_token).toBeUndefined();
    expect(await issued()).toBe(before);
  });
});
