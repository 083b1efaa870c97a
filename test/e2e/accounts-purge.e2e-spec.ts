import { randomBytes } from 'node:crypto';

import { AccountsPurge } from '../../src/modules/auth/accounts-purge';
import { AccountToken, Session } from '../../src/modules/auth/auth.entities';
import { createTestApp, TestApp } from '../create-test-app';
import { login, makeUser } from '../factories/users';

const DAY = 86_400_000;
const sidOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;

/**
 * Sessions that ended or expired, and links used or expired, more than 30 days ago are deleted
 * (refresh tokens with their session); everything that still works, and what ended lately, stays.
 */
describe('the purge of old sessions and links (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const sessions = () => t.ds.getRepository(Session);
  const links = () => t.ds.getRepository(AccountToken);
  const ago = (days: number) => new Date(Date.now() - days * DAY);

  it('deletes what ended over 30 days ago and nothing else', async () => {
    const u = await makeUser(t.http);
    const [revokedLongAgo, expiredLongAgo, revokedLately] = await Promise.all(
      [0, 1, 2].map(() => login(t.http, u.email, u.password)),
    );
    const id = (a: { token: string }) => sidOf(a.token);
    await sessions().update(id(revokedLongAgo), { revokedAt: ago(31), revokedReason: 'logout' });
    await sessions().update(id(expiredLongAgo), { expiresAt: ago(31) });
    await sessions().update(id(revokedLately), { revokedAt: ago(1), revokedReason: 'logout' });
    const link = (over: Partial<AccountToken>) =>
      links().insert({
        tokenHash: randomBytes(32).toString('hex'),
        userId: u.id,
        purpose: 'password_reset',
        createdAt: ago(60),
        expiresAt: new Date(Date.now() + DAY),
        usedAt: null,
        ...over,
      });
    const verifyLinks = await links().countBy({ userId: u.id, purpose: 'email_verify' });
    await link({ usedAt: ago(40) }); // used long ago: goes
    await link({ expiresAt: ago(40) }); // expired long ago: goes
    await link({ usedAt: ago(2) }); // used lately: stays
    await link({}); // still usable: stays
    const refreshTokens = async (sid: string) =>
      Number(
        (
          await t.ds.query(`SELECT COUNT(*) AS n FROM refresh_tokens WHERE session_id = '${sid}'`)
        )[0].n,
      );
    expect(await refreshTokens(id(revokedLongAgo))).toBe(1);

    expect(await t.app.get(AccountsPurge).purge()).toEqual({ sessions: 2, links: 2 });

    const left = (await sessions().findBy({ userId: u.id })).map((s) => s.id).sort();
    expect(left).toEqual([id(u), id(revokedLately)].sort());
    expect(await refreshTokens(id(revokedLongAgo))).toBe(0); // went with its session
    expect(await refreshTokens(id(expiredLongAgo))).toBe(0);
    expect(await links().countBy({ userId: u.id, purpose: 'password_reset' })).toBe(2);
    // registration's verification link is fresh: it stays
    expect(await links().countBy({ userId: u.id, purpose: 'email_verify' })).toBe(verifyLinks);
    // the live session still works, its refresh token too
    await t.http.get('/api/v1/auth/me').set(u.auth).expect(200);
    await t.http.post('/api/v1/auth/refresh').send({ refresh_token: u.refreshToken }).expect(200);
    // a second pass finds nothing
    expect(await t.app.get(AccountsPurge).purge()).toEqual({ sessions: 0, links: 0 });
  });
});
