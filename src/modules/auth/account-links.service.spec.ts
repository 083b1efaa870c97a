import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { loadConfig } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { MailOutboxService } from '../email/mail-outbox.service';
import { FakeUsersRepository } from '../users/fake-users.repository';
import type { UserCache } from '../users/user-cache';
import { UsersService } from '../users/users.service';
import { AccountLinksService } from './account-links.service';
import type { AccountTokensRepository } from './account-tokens.repository';
import type { AccountToken, AccountTokenPurpose } from './auth.entities';
import type { PasswordHasher } from './password-hasher';
import type { SessionsService } from './sessions.service';

/** `account_tokens` in memory, applying writes as the real repository does. */
class FakeTokens {
  readonly rows = new Map<string, AccountToken>();
  async insert(_tx: Tx, row: AccountToken) {
    this.rows.set(row.tokenHash, { ...row });
  }
  async usable(hash: string, purpose: AccountTokenPurpose, now: Date) {
    const t = this.rows.get(hash);
    return t && t.purpose === purpose && !t.usedAt && t.expiresAt > now ? { ...t } : null;
  }
  async use(_tx: Tx, hash: string, purpose: AccountTokenPurpose, at: Date) {
    const t = this.rows.get(hash);
    if (!t || t.purpose !== purpose || t.usedAt || t.expiresAt <= at) return false;
    t.usedAt = at;
    return true;
  }
  async useAll(_tx: Tx, userId: string, purpose: AccountTokenPurpose, at: Date) {
    for (const t of this.rows.values())
      if (t.userId === userId && t.purpose === purpose && !t.usedAt) t.usedAt = at;
  }
}

describe('AccountLinksService', () => {
  const config = loadConfig({ NODE_ENV: 'test', PUBLIC_WEB_URL: 'https://shop.kz/' });
  let users: FakeUsersRepository;
  let tokens: FakeTokens;
  let uow: FakeUnitOfWork;
  let outbox: { enqueue: jest.Mock; kick: jest.Mock };
  let sessions: { endAll: jest.Mock };
  let hasher: { hash: jest.Mock };
  let svc: AccountLinksService;

  beforeEach(() => {
    users = new FakeUsersRepository();
    tokens = new FakeTokens();
    uow = new FakeUnitOfWork();
    const cache = { get: (id: string) => users.findById(id) } as unknown as UserCache;
    outbox = { enqueue: jest.fn(async () => undefined), kick: jest.fn() };
    sessions = { endAll: jest.fn(async () => 2) };
    hasher = { hash: jest.fn(async (p: string) => `hash:${p}`) };
    svc = new AccountLinksService(
      tokens as unknown as AccountTokensRepository,
      new UsersService(users.asRepository(), uow.asUnitOfWork(), cache),
      sessions as unknown as SessionsService,
      hasher as unknown as PasswordHasher,
      uow.asUnitOfWork(),
      outbox as unknown as MailOutboxService,
      config,
    );
  });

  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e) => (e instanceof DomainError ? e.code : String(e)),
    );
  /** The token of the link in the n-th queued mail. */
  const mailedToken = (n = 0): string =>
    /\?token=([A-Za-z0-9_-]{43})/.exec(outbox.enqueue.mock.calls[n][1].text)![1];
  const actorOf = (id: string): Actor => ({
    id,
    role: 'customer',
    email: 'a@b.kz',
    firstName: 'A',
    lastName: 'B',
  });

  it('answers forgot-password alike for known and unknown addresses, and mails only the known', async () => {
    const u = users.add({ email: 'dana@example.kz' });
    const unknown = svc.forgotPassword({ email: 'nobody@example.kz' });
    const known = svc.forgotPassword({ email: 'Dana@Example.kz' });
    expect(unknown).toEqual(known);
    expect(outbox.enqueue).not.toHaveBeenCalled(); // the work happens after the answer
    await svc.settled();
    expect(outbox.enqueue).toHaveBeenCalledTimes(1);
    const [, mail, kind] = outbox.enqueue.mock.calls[0];
    expect([mail.to, kind]).toEqual([u.email, 'reset']);
    expect(mail.text).toContain('https://shop.kz/reset-password?token=');
    const [row] = tokens.rows.values();
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(3600_000);
    expect(mail.text).not.toContain(row.tokenHash);
  });

  it('sends no reset mail to a blocked account', async () => {
    users.add({ email: 'blocked@example.kz', isActive: false });
    svc.forgotPassword({ email: 'blocked@example.kz' });
    await svc.settled();
    expect(outbox.enqueue).not.toHaveBeenCalled();
  });

  it('a reset sets the hash, uses up the links and ends every session, in one transaction', async () => {
    const u = users.add({ email: 'dana@example.kz', tokenVersion: 2 });
    svc.forgotPassword({ email: u.email });
    await svc.settled();
    const runs = uow.runs;
    await svc.resetPassword(undefined, { token: mailedToken(), new_password: 'new-password-1' });
    expect(uow.runs).toBe(runs + 1);
    expect(users.row(u.id)).toMatchObject({ passwordHash: 'hash:new-password-1' });
    const [tx, ...args] = sessions.endAll.mock.calls[0];
    expect([tx === uow.tx, ...args]).toEqual([true, u.id, 'password_reset']);
    expect(
      await code(
        svc.resetPassword(undefined, { token: mailedToken(), new_password: 'other-pass-1' }),
      ),
    ).toBe('RESET_TOKEN_INVALID');
    expect(users.row(u.id).passwordHash).toBe('hash:new-password-1');
  });

  it('refuses malformed, verification-purpose and someone else’s tokens before hashing anything', async () => {
    const u = users.add();
    const other = users.add();
    await svc.welcome(uow.tx, u);
    const verifyToken = mailedToken();
    svc.forgotPassword({ email: u.email });
    await svc.settled();
    const resetToken = mailedToken(1);
    for (const [caller, token] of [
      [undefined, 'not-a-token'],
      [undefined, resetToken.slice(1)],
      [undefined, verifyToken],
      [actorOf(other.id), resetToken],
    ] as const) {
      expect(await code(svc.resetPassword(caller, { token, new_password: 'pw-12345678' }))).toBe(
        'RESET_TOKEN_INVALID',
      );
    }
    expect(hasher.hash).not.toHaveBeenCalled();
    expect(sessions.endAll).not.toHaveBeenCalled();
    expect(users.writes).toEqual([]);
  });

  it('verifies an address once with a working link; an expired one is refused', async () => {
    const u = users.add();
    await svc.welcome(uow.tx, u);
    expect(outbox.enqueue.mock.calls[0][2]).toBe('welcome');
    const res = await svc.verifyEmail(undefined, { token: mailedToken() });
    expect(res).toMatchObject({ id: u.id, is_verified: true });
    expect(await code(svc.verifyEmail(undefined, { token: mailedToken() }))).toBe(
      'VERIFICATION_TOKEN_INVALID',
    );
    const v = users.add();
    await svc.requestVerification(actorOf(v.id));
    for (const t of tokens.rows.values()) t.expiresAt = new Date(Date.now() - 1);
    expect(await code(svc.verifyEmail(undefined, { token: mailedToken(1) }))).toBe(
      'VERIFICATION_TOKEN_INVALID',
    );
    expect(users.row(v.id).isVerified).toBe(false);
    expect(await code(svc.requestVerification(actorOf(u.id)))).toBe('EMAIL_ALREADY_VERIFIED');
  });
});
