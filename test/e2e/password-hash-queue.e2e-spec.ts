import { User } from '../../src/modules/users/user.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { makeUser, uniqueEmail } from '../factories/users';

/**
 * The bound on waiting bcrypt hashes: one hash at a time, none may wait (cost 12, so a hash is
 * still running when the other requests of the burst arrive). Past the bound the answer is 503
 * PASSWORD_HASH_BUSY with Retry-After, and nothing is written.
 */
describe('password hashing bound (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE: '0',
      BCRYPT_ROUNDS: '12',
    });
  });
  afterAll(() => t.close());

  it('answers a burst of registrations past the bound with 503 and Retry-After, creating none of those', async () => {
    const emails = Array.from({ length: 8 }, () => uniqueEmail('burst'));
    const answers = await Promise.all(
      emails.map((email) =>
        t.http.post('/api/v1/auth/register').send({
          email,
          password: 'password-123',
          first_name: 'Бауыржан',
          last_name: 'Омаров',
        }),
      ),
    );
    const created = answers.filter((r) => r.status === 201);
    const busy = answers.filter((r) => r.status === 503);
    expect(created.length + busy.length).toBe(emails.length);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    for (const r of busy) {
      expect(r.body).toMatchObject({ statusCode: 503, code: 'PASSWORD_HASH_BUSY' });
      expect(r.headers['retry-after']).toBe('1');
    }
    const users = t.ds.getRepository(User);
    for (const [i, r] of answers.entries()) {
      expect(await users.countBy({ email: emails[i] })).toBe(r.status === 201 ? 1 : 0);
    }
  });

  it('answers a burst of logins past the bound with 503, and serves them again once it drains', async () => {
    const u = await makeUser(t.http);
    const answers = await Promise.all(
      // 5: the account limit counts attempts in flight, and a sixth parallel one would be a 429
      Array.from({ length: 5 }, () =>
        t.http.post('/api/v1/auth/login').send({ email: u.email, password: u.password }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    // a 503 is no failed login: the account is not locked
    for (let i = 0; i < 6; i++) {
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: u.email, password: u.password });
      expect(res.status).toBe(200);
    }
  });
});
