import { SHARED_DB_MAX_AGE_MS } from '../../src/database/entity-version';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { Session } from '../../src/modules/auth/auth.entities';
import { SessionsRepository } from '../../src/modules/auth/sessions.repository';
import { User } from '../../src/modules/users/user.entity';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { createTestApp, TestApp } from '../create-test-app';
import { Actor, makeUser } from '../factories/users';
import { FaultDb } from '../faults/support/db';
import { recordQueries } from '../support/queries';

const ME = '/api/v1/auth/me';

/**
 * The account behind a token is checked on every request from memory while the users table is
 * unchanged. Every way an account can change must still stop its tokens on the very next request.
 */
describe('user cache behind token checks (e2e)', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  /** The SELECTs on `users` that `fn` causes. */
  const userReads = async (fn: () => Promise<unknown>) =>
    (await recordQueries(t.ds, fn)).filter((q) => /^\s*SELECT\b[\s\S]*\bFROM "users"/i.test(q.sql))
      .length;

  it('a second request with the same token reads no user row; a write to users reads it again', async () => {
    const u = await makeUser(t.http);
    await t.http.get(ME).set(u.auth).expect(200);
    expect(await userReads(() => t.http.get(ME).set(u.auth).expect(200))).toBe(0);
    await t.http.put('/api/v1/auth/profile').set(u.auth).send({ first_name: 'Әсел' }).expect(200);
    let body: { first_name?: string } = {};
    expect(
      await userReads(async () => (body = (await t.http.get(ME).set(u.auth).expect(200)).body)),
    ).toBe(1);
    expect(body.first_name).toBe('Әсел');
  });

  it("the token check's hand-mapped reads equal TypeORM's entities (user, live and revoked session)", async () => {
    const u = await makeUser(t.http);
    const users = t.app.get(UsersRepository);
    const sessions = t.app.get(SessionsRepository);
    await t.ds
      .getRepository(User)
      .update({ id: u.id }, { phone: '+77011234567', isVerified: true });
    expect(await users.forToken(u.id)).toStrictEqual(
      await t.ds.getRepository(User).findOneByOrFail({ id: u.id }),
    );
    expect(await users.forToken('00000000-0000-4000-8000-000000000000')).toBeNull();
    // the login's and sign-up's read by email: the same mapping
    expect(await users.findByEmail(u.email)).toStrictEqual(
      await t.ds.getRepository(User).findOneByOrFail({ id: u.id }),
    );
    expect(await users.findByEmail(`nobody.${u.email}`)).toBeNull();
    const [live] = await t.ds.getRepository(Session).findBy({ userId: u.id });
    expect(await sessions.findById(live.id)).toStrictEqual(live);
    await t.ds
      .getRepository(Session)
      .update({ id: live.id }, { revokedAt: new Date(), revokedReason: 'logout' });
    const ended = await t.ds.getRepository(Session).findOneByOrFail({ id: live.id });
    expect(ended.revokedAt).toBeInstanceOf(Date);
    expect(await sessions.findById(live.id)).toStrictEqual(ended);
  });

  it("a login's session, written as SQL, is the row TypeORM reads, and moves the sessions version", async () => {
    const u = await makeUser(t.http);
    const version = t.app.get(SessionsRepository).watchTable();
    const before = version.snapshot();
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('User-Agent', 'bibarys-test/1')
      .send({ email: u.email, password: u.password })
      .expect(200);
    expect(version.snapshot()).not.toBe(before);
    const all = await t.ds.getRepository(Session).find({ where: { userId: u.id } });
    const mine = all.find((x) => x.userAgent === 'bibarys-test/1')!;
    expect(mine).toBeDefined();
    expect(mine.revokedAt).toBeNull();
    expect(mine.lastUsedAt.getTime()).toBe(mine.createdAt.getTime());
    expect(Math.abs(mine.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(mine.expiresAt.getTime()).toBeGreaterThan(mine.createdAt.getTime());
    // the first refresh token works, once
    const refresh = (res.body as { refresh_token: string }).refresh_token;
    await t.http.post('/api/v1/auth/refresh').send({ refresh_token: refresh }).expect(200);
  });

  it('a block by an admin stops the cached token at once', async () => {
    const u = await makeUser(t.http);
    await t.http.get(ME).set(u.auth).expect(200);
    await t.http.get(ME).set(u.auth).expect(200);
    await t.http.put(`/api/v1/admin/users/${u.id}/block`).set(admin.auth).expect(200);
    expect((await t.http.get(ME).set(u.auth)).status).toBe(401);
  });

  it('a role change revokes the tokens issued before it at once', async () => {
    const u = await makeUser(t.http);
    await t.http.get(ME).set(u.auth).expect(200);
    await t.http.get(ME).set(u.auth).expect(200);
    await t.http
      .put(`/api/v1/admin/users/${u.id}/role`)
      .set(admin.auth)
      .send({ role: 'seller' })
      .expect(200);
    expect((await t.http.get(ME).set(u.auth)).status).toBe(401);
  });

  it('a read made while a users write is open is not kept; a rollback leaves the account as it was', async () => {
    const u = await makeUser(t.http);
    await t.http.get(ME).set(u.auth).expect(200);
    let during = 0;
    await expect(
      t.app.get(UnitOfWork).run(async (em) => {
        await em.update(User, { id: u.id }, { isActive: false });
        // SQLite's one connection sees the uncommitted block (401); PostgreSQL does not (200)
        during = (await t.http.get(ME).set(u.auth)).status;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(during).toBe(t.db === 'postgres' ? 200 : 401);
    await t.http.get(ME).set(u.auth).expect(200);
    await t.http.get(ME).set(u.auth).expect(200);
    await t.ds.getRepository(User).update({ id: u.id }, { isActive: false });
    expect((await t.http.get(ME).set(u.auth)).status).toBe(401);
  });

  it("another process's block is seen (SQLite: at once; PostgreSQL: within the max age)", async () => {
    const u = await makeUser(t.http);
    await t.http.get(ME).set(u.auth).expect(200);
    await t.http.get(ME).set(u.auth).expect(200);
    const other = await FaultDb.open(t.env);
    try {
      await other.query('UPDATE users SET is_active = $1 WHERE id = $2', [false, u.id]);
    } finally {
      await other.close();
    }
    if (t.db === 'postgres') await new Promise((r) => setTimeout(r, SHARED_DB_MAX_AGE_MS + 50));
    expect((await t.http.get(ME).set(u.auth)).status).toBe(401);
  });
});
