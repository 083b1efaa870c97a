import type { JwtService } from '@nestjs/jwt';

import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { loadConfig } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { FakeUsersRepository } from '../users/fake-users.repository';
import type { UserCache } from '../users/user-cache';
import { UsersService } from '../users/users.service';
import type { SessionEndReason } from './auth.entities';
import { Session } from './auth.entities';
import { hashOpaqueToken } from './opaque-token';
import type { SessionCache } from './session-cache';
import type { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** `sessions` and `refresh_tokens` in memory, applying writes as the real repository does. */
class FakeSessions {
  readonly sessions = new Map<string, Session>();
  readonly tokens = new Map<string, { sessionId: string; usedAt: Date | null }>();

  async start(_tx: Tx, s: Session, tokenHash: string) {
    this.sessions.set(s.id, { ...s });
    this.tokens.set(tokenHash, { sessionId: s.id, usedAt: null });
  }
  async presented(_tx: Tx, hash: string) {
    const t = this.tokens.get(hash);
    const session = t && this.sessions.get(t.sessionId);
    return session ? { usedAt: t.usedAt, session: { ...session } } : null;
  }
  async use(_tx: Tx, hash: string, at: Date) {
    const t = this.tokens.get(hash);
    if (!t || t.usedAt) return false;
    t.usedAt = at;
    return true;
  }
  async rotate(_tx: Tx, sessionId: string, hash: string, at: Date, expiresAt: Date) {
    this.tokens.set(hash, { sessionId, usedAt: null });
    Object.assign(this.sessions.get(sessionId)!, { lastUsedAt: at, expiresAt });
  }
  async end(
    _tx: Tx,
    userId: string,
    reason: SessionEndReason,
    at: Date,
    which: { only?: string; except?: string } = {},
  ) {
    let n = 0;
    for (const s of this.sessions.values()) {
      if (s.userId !== userId || s.revokedAt || s.expiresAt <= at) continue;
      if ((which.only && s.id !== which.only) || s.id === which.except) continue;
      Object.assign(s, { revokedAt: at, revokedReason: reason });
      n++;
    }
    return n;
  }
  async live(userId: string, tv: number, now: Date) {
    return [...this.sessions.values()].filter(
      (s) => s.userId === userId && !s.revokedAt && s.expiresAt > now && s.tokenVersion === tv,
    );
  }
  async findById(id: string) {
    const s = this.sessions.get(id);
    return s ? Object.assign(new Session(), s) : null;
  }
}

describe('SessionsService', () => {
  const config = loadConfig({ NODE_ENV: 'test' });
  let users: FakeUsersRepository;
  let repo: FakeSessions;
  let uow: FakeUnitOfWork;
  let jwt: { signAsync: jest.Mock };
  let svc: SessionsService;

  beforeEach(() => {
    users = new FakeUsersRepository();
    repo = new FakeSessions();
    uow = new FakeUnitOfWork();
    const userCache = { get: (id: string) => users.findById(id) } as unknown as UserCache;
    const usersService = new UsersService(users.asRepository(), uow.asUnitOfWork(), userCache);
    jwt = { signAsync: jest.fn(async (p: object) => `jwt:${JSON.stringify(p)}`) };
    svc = new SessionsService(
      repo as unknown as SessionsRepository,
      { get: (id: string) => repo.findById(id) } as unknown as SessionCache,
      usersService,
      uow.asUnitOfWork(),
      jwt as unknown as JwtService,
      config,
    );
  });

  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e) => (e instanceof DomainError ? e.code : String(e)),
    );
  const actorOf = (id: string, sessionId?: string): Actor => ({
    id,
    role: 'customer',
    email: 'x@y.kz',
    firstName: 'A',
    lastName: 'B',
    sessionId,
  });

  it('a login stores the session with the token version and client, and only the hash of its token', async () => {
    const u = users.add({ tokenVersion: 3 });
    const res = await svc.begin(u, { userAgent: 'x'.repeat(400), ip: '10.1.2.3' });
    const [session] = repo.sessions.values();
    expect(session).toMatchObject({ userId: u.id, tokenVersion: 3, ip: '10.1.2.3' });
    expect(session.userAgent).toHaveLength(256);
    expect(session.expiresAt.getTime() - session.createdAt.getTime()).toBe(30 * 86400 * 1000);
    expect([...repo.tokens.keys()]).toEqual([hashOpaqueToken(res.refresh_token)]);
    expect(jwt.signAsync).toHaveBeenCalledWith({
      sub: u.id,
      role: 'customer',
      tv: 3,
      sid: session.id,
    });
    expect(res).toMatchObject({ expires_in: 900, refresh_expires_in: 30 * 86400 });
  });

  it('a refresh rotates the token; the old one presented again ends the session', async () => {
    const u = users.add();
    const first = await svc.begin(u, {});
    const second = await svc.refresh(first.refresh_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const [session] = repo.sessions.values();
    expect(second.access_token).toContain(session.id);
    expect(await code(svc.refresh(first.refresh_token))).toBe('UNAUTHENTICATED');
    expect(session).toMatchObject({ revokedReason: 'reuse' });
    expect(await code(svc.refresh(second.refresh_token))).toBe('UNAUTHENTICATED');
    expect(repo.tokens.size).toBe(2); // nothing issued after the reuse
  });

  it('refuses malformed tokens before opening a transaction; unknown ones end nothing', async () => {
    const u = users.add();
    const res = await svc.begin(u, {});
    const runs = uow.runs;
    for (const bad of ['', 'short', `${res.refresh_token}x`, res.access_token]) {
      expect(await code(svc.refresh(bad))).toBe('UNAUTHENTICATED');
    }
    expect(uow.runs).toBe(runs);
    expect(await code(svc.refresh('A'.repeat(43)))).toBe('UNAUTHENTICATED');
    expect([...repo.sessions.values()][0].revokedAt).toBeNull();
  });

  it('refuses the refresh of a blocked account or one whose token version moved', async () => {
    const blocked = users.add();
    const moved = users.add();
    const a = await svc.begin(blocked, {});
    const b = await svc.begin(moved, {});
    users.row(blocked.id).isActive = false;
    users.row(moved.id).tokenVersion++;
    expect(await code(svc.refresh(a.refresh_token))).toBe('UNAUTHENTICATED');
    expect(await code(svc.refresh(b.refresh_token))).toBe('UNAUTHENTICATED');
    expect(repo.tokens.size).toBe(2);
  });

  it('lists the working sessions with the current flag; revoke answers 404 for anything else', async () => {
    const u = users.add();
    const stranger = users.add();
    await svc.begin(u, { userAgent: 'phone' });
    await svc.begin(u, { userAgent: 'laptop' });
    await svc.begin(stranger, {});
    const [phone, laptop, theirs] = [...repo.sessions.values()];
    const list = await svc.list(actorOf(u.id, laptop.id));
    expect(list.map((s) => [s.user_agent, s.current])).toEqual([
      ['phone', false],
      ['laptop', true],
    ]);
    expect(await code(svc.revoke(actorOf(u.id), theirs.id))).toBe('NOT_FOUND');
    expect(theirs.revokedAt).toBeNull();
    await svc.revoke(actorOf(u.id), phone.id);
    expect(phone.revokedReason).toBe('revoked');
    expect(await code(svc.revoke(actorOf(u.id), phone.id))).toBe('NOT_FOUND');
  });

  it('the guard admits a session only while it is the account’s, not ended, same token version', async () => {
    const u = users.add({ tokenVersion: 1 });
    await svc.begin(u, {});
    const [s] = repo.sessions.values();
    const account = users.row(u.id);
    expect(await svc.isLive(s.id, account)).toBe(true);
    expect(await svc.isLive(s.id, { ...account, id: users.add().id })).toBe(false);
    expect(await svc.isLive(s.id, { ...account, tokenVersion: 2 })).toBe(false);
    expect(await svc.isLive('00000000-0000-4000-8000-000000000000', account)).toBe(false);
    await svc.logoutAll(actorOf(u.id));
    expect(await svc.isLive(s.id, account)).toBe(false);
  });
});
