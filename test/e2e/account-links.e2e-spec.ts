import { AccountLinksService } from '../../src/modules/auth/account-links.service';
import { AccountToken } from '../../src/modules/auth/auth.entities';
import { OutboxMail } from '../../src/modules/email/outbox-mail.entity';
import { User } from '../../src/modules/users/user.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { DEFAULT_DELIVERY } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, login, makeUser, uniqueEmail } from '../factories/users';
import { SmtpSink } from '../support/smtp-sink';

const API = '/api/v1/auth';
const WEB = 'https://shop.bibarys.test';

/**
 * Password reset and email verification through the outbox, read from a real SMTP server
 * (CONTRACT Part 2, Accounts). Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
 */
describe('password reset and email verification (e2e, real SMTP)', () => {
  const sink = new SmtpSink();
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await sink.start()),
      PUBLIC_WEB_URL: `${WEB}/`,
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  /** The token of the newest link to `path` mailed to `to` (waits for the mail). */
  const linkFor = async (to: string, path: string, after = 0): Promise<string> => {
    const re = new RegExp(`${WEB.replace(/\./g, '\\.')}${path}\\?token=([A-Za-z0-9_-]{43})`);
    const found = () => sink.mails.filter((m) => m.to.includes(to) && re.test(m.raw));
    await sink.waitFor(() => found().length > after);
    return re.exec(found()[after].raw)![1];
  };
  const mailsTo = (to: string) => sink.mails.filter((m) => m.to.includes(to));
  const userRow = (id: string) => t.ds.getRepository(User).findOneByOrFail({ id });
  const me = (who: { token: string }) =>
    t.http.get(`${API}/me`).set('Authorization', `Bearer ${who.token}`);
  const forgot = (email: string) => t.http.post(`${API}/password/forgot`).send({ email });
  const reset = (token: unknown, newPassword = 'brand-new-pass-1', who?: Actor) => {
    const req = t.http.post(`${API}/password/reset`);
    if (who) req.set(who.auth);
    return req.send({ token, new_password: newPassword });
  };
  const verify = (token: unknown, who?: Actor) => {
    const req = t.http.post(`${API}/email/verify`);
    if (who) req.set(who.auth);
    return req.send({ token });
  };
  const settled = () => t.app.get(AccountLinksService).settled();

  describe('email verification', () => {
    it('registration mails a verification link in Russian; following it verifies, once', async () => {
      const u = await makeUser(t.http, 'customer', { first_name: 'Айгерим' });
      const token = await linkFor(u.email, '/verify-email');
      const mail = mailsTo(u.email)[0];
      expect(mail.raw).toContain('Добро пожаловать в Bibarys');
      expect(mail.raw).toContain('Айгерим');
      expect(mail.raw).toContain('48 часов');
      expect((await me(u)).body.is_verified).toBe(false);
      // stored as a hash only
      expect(JSON.stringify(await t.ds.getRepository(AccountToken).find())).not.toContain(token);

      const res = await verify(token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: u.id, email: u.email, is_verified: true });
      expect((await me(u)).body.is_verified).toBe(true);
      const again = await verify(token);
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({ code: 'VERIFICATION_TOKEN_INVALID' });
    });

    it('verify-request mails a new link (202); an address already verified → 409', async () => {
      const u = await makeUser(t.http);
      await linkFor(u.email, '/verify-email');
      expect((await t.http.post(`${API}/email/verify-request`)).status).toBe(401);
      const res = await t.http.post(`${API}/email/verify-request`).set(u.auth);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'accepted' });
      const fresh = await linkFor(u.email, '/verify-email', 1);
      expect(mailsTo(u.email)[1].raw).toContain('Подтвердите адрес электронной почты');
      expect((await verify(fresh)).body.is_verified).toBe(true);
      const done = await t.http.post(`${API}/email/verify-request`).set(u.auth);
      expect(done.status).toBe(409);
      expect(done.body.code).toBe('EMAIL_ALREADY_VERIFIED');
    });

    it('expired, malformed, reset-purpose or another account’s tokens → 400, nothing verified', async () => {
      const u = await makeUser(t.http);
      const other = await makeUser(t.http);
      const token = await linkFor(u.email, '/verify-email');
      await forgot(u.email).expect(202);
      const resetToken = await linkFor(u.email, '/reset-password');
      for (const bad of [token.slice(0, -1), `${token}x`, 'not a token', resetToken]) {
        const res = await verify(bad);
        expect([res.status, res.body.code]).toEqual([400, 'VERIFICATION_TOKEN_INVALID']);
      }
      const foreign = await verify(token, other);
      expect([foreign.status, foreign.body.code]).toEqual([400, 'VERIFICATION_TOKEN_INVALID']);
      await t.ds
        .getRepository(AccountToken)
        .update(
          { userId: u.id, purpose: 'email_verify' },
          { expiresAt: new Date(Date.now() - 1000) },
        );
      expect((await verify(token)).status).toBe(400);
      expect((await verify(undefined)).status).toBe(400);
      expect((await userRow(u.id)).isVerified).toBe(false);
      expect((await userRow(other.id)).isVerified).toBe(false);
    });
  });

  describe('password reset', () => {
    it('answers an unknown address exactly like a known one, and mails only the known one', async () => {
      const u = await makeUser(t.http);
      await linkFor(u.email, '/verify-email');
      const tokensBefore = await t.ds.getRepository(AccountToken).count();
      const mailsBefore = await t.ds.getRepository(OutboxMail).count();
      const ghost = uniqueEmail('ghost');
      const unknown = await forgot(ghost);
      const known = await forgot(u.email.toUpperCase());
      expect(unknown.status).toBe(202);
      expect(known.status).toBe(202);
      expect(unknown.body).toEqual(known.body);
      expect(unknown.headers['content-length']).toBe(known.headers['content-length']);
      const token = await linkFor(u.email, '/reset-password');
      await settled();
      expect(await t.ds.getRepository(AccountToken).count()).toBe(tokensBefore + 1);
      expect(await t.ds.getRepository(OutboxMail).count()).toBe(mailsBefore + 1);
      expect(mailsTo(ghost)).toEqual([]);
      const mail = mailsTo(u.email).find((m) => m.raw.includes('/reset-password'))!;
      expect(mail.raw).toContain('Восстановление пароля');
      expect(mail.raw).toContain('1 час');
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect((await forgot('not-an-email')).status).toBe(400);
    });

    it('sets the new password and ends every session; the link works once', async () => {
      const u = await makeUser(t.http);
      const phone = await login(t.http, u.email, u.password);
      await forgot(u.email).expect(202);
      const token = await linkFor(u.email, '/reset-password');
      expect((await me(phone)).status).toBe(200);

      const res = await reset(token, 'brand-new-pass-1');
      expect(res.status).toBe(204);
      for (const s of [u, phone]) {
        expect((await me(s)).status).toBe(401);
        const r = await t.http.post(`${API}/refresh`).send({ refresh_token: s.refreshToken });
        expect(r.status).toBe(401);
      }
      expect(
        (await t.http.post(`${API}/login`).send({ email: u.email, password: u.password })).status,
      ).toBe(401);
      const fresh = await login(t.http, u.email, 'brand-new-pass-1');
      expect(fresh.id).toBe(u.id);

      const hash = (await userRow(u.id)).passwordHash;
      const again = await reset(token, 'another-pass-22');
      expect([again.status, again.body.code]).toEqual([400, 'RESET_TOKEN_INVALID']);
      expect((await userRow(u.id)).passwordHash).toBe(hash);
      expect((await me(fresh)).status).toBe(200);
    });

    it('used, expired, malformed, verification-purpose or another account’s tokens → 400, nothing changes', async () => {
      const u = await makeUser(t.http);
      const other = await makeUser(t.http);
      const verifyToken = await linkFor(u.email, '/verify-email');
      await forgot(u.email).expect(202);
      const first = await linkFor(u.email, '/reset-password');
      await forgot(u.email).expect(202);
      const second = await linkFor(u.email, '/reset-password', 1);
      const before = await userRow(u.id);

      const refused = [
        await reset(verifyToken),
        await reset(first.slice(0, 42)),
        await reset(`${first}=`),
        await reset('../../etc/passwd'),
        await reset(first, 'brand-new-pass-1', other), // signed in as someone else
      ];
      for (const r of refused)
        expect([r.status, r.body.code]).toEqual([400, 'RESET_TOKEN_INVALID']);
      const short = await reset(first, 'short');
      expect(short.status).toBe(400);
      expect(short.body.errors).toEqual([expect.objectContaining({ field: 'new_password' })]);
      await t.ds
        .getRepository(AccountToken)
        .update({ userId: u.id, purpose: 'password_reset' }, { expiresAt: new Date(0) });
      for (const token of [first, second]) {
        const r = await reset(token);
        expect([r.status, r.body.code]).toEqual([400, 'RESET_TOKEN_INVALID']);
      }
      expect(await userRow(u.id)).toMatchObject({
        passwordHash: before.passwordHash,
        tokenVersion: before.tokenVersion,
      });
      expect((await me(u)).status).toBe(200);
      expect((await me(other)).status).toBe(200);
    });

    it('one reset uses up the other links of the account', async () => {
      const u = await makeUser(t.http);
      await forgot(u.email).expect(202);
      const first = await linkFor(u.email, '/reset-password');
      await forgot(u.email).expect(202);
      const second = await linkFor(u.email, '/reset-password', 1);
      expect((await reset(second)).status).toBe(204);
      expect((await reset(first, 'third-pass-333')).status).toBe(400);
      await login(t.http, u.email, 'brand-new-pass-1');
    });

    it('of racing resets with one link exactly one wins', async () => {
      const u = await makeUser(t.http);
      await forgot(u.email).expect(202);
      const token = await linkFor(u.email, '/reset-password');
      const answers = await Promise.all(
        ['race-pass-0001', 'race-pass-0002', 'race-pass-0003'].map((p) => reset(token, p)),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([204, 400, 400]);
      const winner = ['race-pass-0001', 'race-pass-0002', 'race-pass-0003'][
        answers.findIndex((a) => a.status === 204)
      ];
      await login(t.http, u.email, winner);
    });
  });
});

describe('CHECKOUT_REQUIRES_VERIFIED_EMAIL (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CHECKOUT_REQUIRES_VERIFIED_EMAIL: 'true' });
  });
  afterAll(() => t.close());

  it('refuses an unverified buyer’s checkout with 403 EMAIL_NOT_VERIFIED, keeps the cart, and lets a verified one through', async () => {
    const seller = await makeUser(t.http, 'seller');
    const buyer = await makeUser(t.http);
    const p = await insertProduct(t.ds, seller.id, { quantity: 5 });
    await t.http
      .post('/api/v1/cart/items')
      .set(buyer.auth)
      .send({ product_id: p.id, quantity: 1 })
      .expect(201);
    const refused = await t.http.post('/api/v1/orders').set(buyer.auth).send(DEFAULT_DELIVERY);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'EMAIL_NOT_VERIFIED' });
    expect((await t.http.get('/api/v1/cart').set(buyer.auth)).body.items).toHaveLength(1);
    expect((await t.http.get('/api/v1/orders').set(buyer.auth)).body.total).toBe(0);

    await t.ds.getRepository(User).update({ id: buyer.id }, { isVerified: true });
    const placed = await t.http.post('/api/v1/orders').set(buyer.auth).send(DEFAULT_DELIVERY);
    expect(placed.status).toBe(201);
  });
});
