import { Session } from '../../src/modules/auth/auth.entities';
import { hashOpaqueToken } from '../../src/modules/auth/opaque-token';
import { User } from '../../src/modules/users/user.entity';
import { createTestApp, createTestDatabase, isPgRun, TestApp } from '../create-test-app';
import { Actor, login, makeUser } from '../factories/users';
import { recordQueries } from '../support/queries';

const API = '/api/v1/auth';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const sidOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;

/**
 * Sessions (CONTRACT Part 2, Accounts): login starts one, refresh rotates its token, a reused
 * refresh token ends it, logout / logout-all / revoke end it and its access tokens stop on the
 * very next request. Runs on SQLite and, with DATABASE_URL, on PostgreSQL.
 */
describe('sessions and refresh tokens (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const me = (token: string) => t.http.get(`${API}/me`).set(bearer(token));
  const refresh = (refreshToken: unknown) =>
    t.http.post(`${API}/refresh`).send({ refresh_token: refreshToken });
  const session = (id: string) => t.ds.getRepository(Session).findOneByOrFail({ id });

  describe('POST /auth/refresh', () => {
    it('answers a new pair for the same session; the old refresh token stops working', async () => {
      const u = await makeUser(t.http);
      const res = await refresh(u.refreshToken);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        token_type: 'bearer',
        expires_in: 900,
        refresh_expires_in: 30 * 86400,
        user: { id: u.id, email: u.email },
      });
      expect(res.body.refresh_token).not.toBe(u.refreshToken);
      expect(sidOf(res.body.access_token)).toBe(sidOf(u.token));
      expect((await me(res.body.access_token)).status).toBe(200);
      // the refresh token is stored only as its hash
      const stored = await t.ds.query('SELECT token_hash FROM refresh_tokens');
      const all = JSON.stringify(stored);
      expect(all).not.toContain(res.body.refresh_token);
      expect(all).toContain(hashOpaqueToken(res.body.refresh_token));
      // the next rotation works from the new token
      const again = await refresh(res.body.refresh_token);
      expect(again.status).toBe(200);
    });

    it('a refresh token used a second time ends the whole session: 401, nothing issued', async () => {
      const u = await makeUser(t.http);
      const first = await refresh(u.refreshToken);
      expect(first.status).toBe(200);
      const tokensBefore = await t.ds.query('SELECT COUNT(*) AS n FROM refresh_tokens');
      const reuse = await refresh(u.refreshToken);
      expect(reuse.status).toBe(401);
      expect(reuse.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      expect(reuse.body.access_token).toBeUndefined();
      expect(await t.ds.query('SELECT COUNT(*) AS n FROM refresh_tokens')).toEqual(tokensBefore);
      // the thief's copy and the owner's rotated pair are both dead
      expect((await me(first.body.access_token)).status).toBe(401);
      expect((await refresh(first.body.refresh_token)).status).toBe(401);
      expect((await me(u.token)).status).toBe(401);
      expect(await session(sidOf(u.token))).toMatchObject({ revokedReason: 'reuse' });
    });

    it('of two or more racing refreshes with one token at most one succeeds', async () => {
      for (const n of [2, 8]) {
        const u = await makeUser(t.http);
        const answers = await Promise.all(Array.from({ length: n }, () => refresh(u.refreshToken)));
        const statuses = answers.map((a) => a.status).sort();
        expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
        expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
        // the losers presented a used token: the session is over for every copy
        for (const a of answers.filter((x) => x.status === 200)) {
          expect((await refresh(a.body.refresh_token)).status).toBe(401);
        }
        const rows = await t.ds.query(
          `SELECT COUNT(*) AS n FROM refresh_tokens WHERE session_id = '${sidOf(u.token)}'`,
        );
        expect(Number(rows[0].n)).toBeLessThanOrEqual(2);
      }
    });

    it('tampered, truncated, padded, unknown or non-string tokens → 401 or 400, nothing issued', async () => {
      const u = await makeUser(t.http);
      const tk = u.refreshToken;
      const flip = (tk[5] === 'A' ? 'B' : 'A') as string;
      for (const bad of [
        tk.slice(0, 5) + flip + tk.slice(6),
        tk.slice(0, -1),
        tk + 'A',
        tk.toUpperCase(),
        'x'.repeat(43),
        u.token, // an access token is not a refresh token
      ]) {
        const res = await refresh(bad);
        expect(res.status).toBe(401);
      }
      for (const bad of [undefined, '', 42, 'x'.repeat(3000), ['a']]) {
        expect((await refresh(bad)).status).toBe(400);
      }
      // none of that hurt the real session
      expect((await refresh(tk)).status).toBe(200);
    });

    it("refuses a blocked user's refresh token (401), also after an unblock", async () => {
      const admin = await makeUser(t.http, 'admin');
      const u = await makeUser(t.http);
      await t.http.put(`/api/v1/admin/users/${u.id}/block`).set(admin.auth).expect(200);
      expect((await refresh(u.refreshToken)).status).toBe(401);
      await t.http.put(`/api/v1/admin/users/${u.id}/unblock`).set(admin.auth).expect(200);
      expect((await refresh(u.refreshToken)).status).toBe(401);
      expect((await login(t.http, u.email, u.password)).id).toBe(u.id);
    });

    it('refuses the refresh token of an expired session; it leaves the list and cannot be revoked', async () => {
      const u = await makeUser(t.http);
      const other = await login(t.http, u.email, u.password);
      await t.ds
        .getRepository(Session)
        .update({ id: sidOf(u.token) }, { expiresAt: new Date(Date.now() - 1000) });
      expect((await refresh(u.refreshToken)).status).toBe(401);
      const list = await t.http.get(`${API}/sessions`).set(other.auth);
      expect(list.body.map((s: { id: string }) => s.id)).toEqual([sidOf(other.token)]);
      expect(
        (await t.http.delete(`${API}/sessions/${sidOf(u.token)}`).set(other.auth)).status,
      ).toBe(404);
    });
  });

  describe('logout, logout-all, session list and revoke', () => {
    it('POST /auth/logout ends that session at once: its access and refresh tokens stop', async () => {
      const u = await makeUser(t.http);
      const other = await login(t.http, u.email, u.password);
      await me(u.token).expect(200);
      await me(u.token).expect(200); // cached now
      const res = await t.http.post(`${API}/logout`).send({ refresh_token: u.refreshToken });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await me(u.token)).status).toBe(401);
      expect((await refresh(u.refreshToken)).status).toBe(401);
      expect(await session(sidOf(u.token))).toMatchObject({ revokedReason: 'logout' });
      // the other device is untouched
      expect((await me(other.token)).status).toBe(200);
      // a second logout, or one with a token we never issued, signs nobody else out
      for (const token of [u.refreshToken, 'x'.repeat(43), 'short']) {
        expect((await t.http.post(`${API}/logout`).send({ refresh_token: token })).status).toBe(
          204,
        );
      }
      expect((await me(other.token)).status).toBe(200);
      expect((await t.http.post(`${API}/logout`).send({})).status).toBe(400);
    });

    it('POST /auth/logout-all ends every session of the user, and no one else’s', async () => {
      const u = await makeUser(t.http);
      const phone = await login(t.http, u.email, u.password);
      const stranger = await makeUser(t.http);
      expect((await t.http.post(`${API}/logout-all`)).status).toBe(401);
      expect((await t.http.post(`${API}/logout-all`).set(phone.auth)).status).toBe(204);
      for (const s of [u, phone]) {
        expect((await me(s.token)).status).toBe(401);
        expect((await refresh(s.refreshToken)).status).toBe(401);
      }
      expect((await me(stranger.token)).status).toBe(200);
      expect((await refresh(stranger.refreshToken)).status).toBe(200);
    });

    it('GET /auth/sessions lists the working sessions with client and the current flag', async () => {
      const u = await makeUser(t.http);
      const phone = await login(t.http, u.email, u.password, 'Bibarys/1.0 (iPhone)');
      const laptop = await login(t.http, u.email, u.password, 'Mozilla/5.0 (Macintosh)');
      await t.http.post(`${API}/logout`).send({ refresh_token: u.refreshToken }).expect(204);
      const res = await t.http.get(`${API}/sessions`).set(laptop.auth);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(2);
      const byId = Object.fromEntries(res.body.map((s: { id: string }) => [s.id, s]));
      expect(byId[sidOf(laptop.token)]).toMatchObject({
        user_agent: 'Mozilla/5.0 (Macintosh)',
        current: true,
      });
      expect(byId[sidOf(phone.token)]).toMatchObject({
        user_agent: 'Bibarys/1.0 (iPhone)',
        current: false,
      });
      for (const s of res.body) {
        expect(Object.keys(s).sort()).toEqual([
          'created_at',
          'current',
          'id',
          'ip',
          'last_used_at',
          'user_agent',
        ]);
        expect(typeof s.ip).toBe('string');
        expect(new Date(s.created_at).toISOString()).toBe(s.created_at);
      }
      expect(JSON.stringify(res.body)).not.toMatch(/token|hash/i);
      // a refresh moves last_used_at and keeps the session listed once
      const r = await refresh(phone.refreshToken);
      const after = await t.http.get(`${API}/sessions`).set(bearer(r.body.access_token));
      expect(after.body).toHaveLength(2);
      expect(after.body[0]).toMatchObject({ id: sidOf(phone.token), current: true });
    });

    it("DELETE /auth/sessions/{id} ends one own session; someone else's or an unknown one → 404", async () => {
      const u = await makeUser(t.http);
      const lost = await login(t.http, u.email, u.password);
      const stranger = await makeUser(t.http);
      await me(lost.token).expect(200);
      const del = (who: Actor, id: string) => t.http.delete(`${API}/sessions/${id}`).set(who.auth);
      expect((await del(stranger, sidOf(lost.token))).status).toBe(404);
      expect((await me(lost.token)).status).toBe(200);
      expect((await del(u, sidOf(stranger.token))).status).toBe(404);
      expect((await me(stranger.token)).status).toBe(200);
      expect((await del(u, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
      expect((await del(u, 'not-a-uuid')).status).toBe(400);
      expect((await del(u, sidOf(lost.token))).status).toBe(204);
      expect((await me(lost.token)).status).toBe(401);
      expect((await refresh(lost.refreshToken)).status).toBe(401);
      expect((await del(u, sidOf(lost.token))).status).toBe(404); // already ended
      expect((await me(u.token)).status).toBe(200);
    });
  });

  describe('the session check behind every request', () => {
    /** The SELECTs on `sessions` that `fn` causes. */
    const sessionReads = async (fn: () => Promise<unknown>) =>
      (await recordQueries(t.ds, fn)).filter((q) =>
        /^\s*SELECT\b[\s\S]*\bFROM "sessions"/i.test(q.sql),
      ).length;

    it('reads no session row for a cached token; a revoked session is refused on the next request', async () => {
      const u = await makeUser(t.http);
      const phone = await login(t.http, u.email, u.password);
      await me(phone.token).expect(200);
      expect(await sessionReads(() => me(phone.token).expect(200))).toBe(0);
      await t.http
        .delete(`${API}/sessions/${sidOf(phone.token)}`)
        .set(u.auth)
        .expect(204);
      expect((await me(phone.token)).status).toBe(401);
    });

    it("another client's refresh does not make this token's check read its session", async () => {
      const u = await makeUser(t.http);
      const other = await makeUser(t.http);
      await me(u.token).expect(200);
      await refresh(other.refreshToken).expect(200);
      expect(await sessionReads(() => me(u.token).expect(200))).toBe(0);
      // a refresh moves last_used_at and expires_at behind the cache: the guard does not read them
      const rotated = await refresh(u.refreshToken).expect(200);
      await me(rotated.body.access_token).expect(200);
      expect(await sessionReads(() => me(rotated.body.access_token).expect(200))).toBe(0);
      // a session that ends is still seen at once
      await t.http.post(`${API}/logout`).send({ refresh_token: rotated.body.refresh_token });
      expect((await me(rotated.body.access_token)).status).toBe(401);
    });

    it('a session ended by a direct database write is refused at once too', async () => {
      const u = await makeUser(t.http);
      await me(u.token).expect(200);
      await me(u.token).expect(200);
      await t.ds
        .getRepository(Session)
        .update({ id: sidOf(u.token) }, { revokedAt: new Date(), revokedReason: 'revoked' });
      expect((await me(u.token)).status).toBe(401);
    });

    it('a role change ends the sessions (the next login carries the new role)', async () => {
      const admin = await makeUser(t.http, 'admin');
      const u = await makeUser(t.http);
      await t.http
        .put(`/api/v1/admin/users/${u.id}/role`)
        .set(admin.auth)
        .send({ role: 'seller' })
        .expect(200);
      expect((await me(u.token)).status).toBe(401);
      expect((await refresh(u.refreshToken)).status).toBe(401);
      const fresh = await login(t.http, u.email, u.password);
      expect(fresh.role).toBe('seller');
      expect(await t.ds.getRepository(User).findOneByOrFail({ id: u.id })).toMatchObject({
        role: 'seller',
      });
    });
  });

  // two apps on one SQLite file in one Node process stall each other (see orders-race): the
  // two-instance cases run on PostgreSQL only (`npm run test:pg`)
  if (isPgRun())
    describe('two server instances on one PostgreSQL database', () => {
      let a: TestApp;
      let b: TestApp;
      let drop: () => Promise<void>;
      beforeAll(async () => {
        const db = await createTestDatabase();
        drop = db.drop;
        a = await createTestApp({}, db);
        b = await createTestApp({}, db);
      });
      afterAll(async () => {
        await a.close();
        await b.close();
        await drop();
      });

      it('a refresh token raced on both instances is honoured at most once', async () => {
        for (let i = 0; i < 3; i++) {
          const u = await makeUser(a.http);
          const answers = await Promise.all(
            [a, b, a, b].map((x) =>
              x.http.post(`${API}/refresh`).send({ refresh_token: u.refreshToken }),
            ),
          );
          expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
          expect(answers.every((r) => r.status === 200 || r.status === 401)).toBe(true);
        }
      });

      it('a logout on one instance stops the token on the other (its cache holds 1 s at most)', async () => {
        const u = await makeUser(a.http);
        await b.http.get(`${API}/me`).set(u.auth).expect(200);
        await b.http.get(`${API}/me`).set(u.auth).expect(200); // cached on b
        await a.http.post(`${API}/logout`).send({ refresh_token: u.refreshToken }).expect(204);
        let status = 200;
        for (let i = 0; i < 40 && status === 200; i++) {
          await new Promise((r) => setTimeout(r, 100));
          status = (await b.http.get(`${API}/me`).set(u.auth)).status;
        }
        expect(status).toBe(401);
        expect(
          (await b.http.post(`${API}/refresh`).send({ refresh_token: u.refreshToken })).status,
        ).toBe(401);
      });
    });
});
