import type { JwtService } from '@nestjs/jwt';

import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { loadConfig } from '../../config/app-config';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { MailOutboxService } from '../email/mail-outbox.service';
import { FakeUsersRepository } from '../users/fake-users.repository';
import type { UserAccount } from '../users/user-account';
import type { UserCache } from '../users/user-cache';
import { UsersService } from '../users/users.service';
import type { AccountLinksService } from './account-links.service';
import { AuthService } from './auth.service';
import type { PasswordHasher } from './password-hasher';
import type { SessionsService } from './sessions.service';

describe('AuthService', () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    ADMIN_EMAIL: 'root@bibarys.kz',
    ADMIN_PASSWORD: 'admin-password-1',
  });
  let repo: FakeUsersRepository;
  let uow: FakeUnitOfWork;
  let hasher: { hash: jest.Mock; verify: jest.Mock; verifyDummy: jest.Mock };
  let jwt: { signAsync: jest.Mock };
  let outbox: { enqueue: jest.Mock; kick: jest.Mock };
  let sessions: { begin: jest.Mock; endAll: jest.Mock };
  let links: { welcome: jest.Mock };
  let auth: AuthService;

  beforeEach(() => {
    repo = new FakeUsersRepository();
    uow = new FakeUnitOfWork();
    const cache = { get: (id: string) => repo.findById(id) } as unknown as UserCache;
    const users = new UsersService(repo.asRepository(), uow.asUnitOfWork(), cache);
    hasher = {
      hash: jest.fn(async (p: string) => `hash:${p}`),
      verify: jest.fn(async (p: string, h: string) => h === `hash:${p}`),
      verifyDummy: jest.fn(async () => false),
    };
    jwt = { signAsync: jest.fn(async (payload: object) => `token:${JSON.stringify(payload)}`) };
    outbox = { enqueue: jest.fn(async () => undefined), kick: jest.fn() };
    sessions = {
      begin: jest.fn(async (u: UserAccount) => ({ token_type: 'bearer', user: { id: u.id } })),
      endAll: jest.fn(async () => 1),
    };
    links = { welcome: jest.fn(async () => undefined) };
    auth = new AuthService(
      users,
      hasher as unknown as PasswordHasher,
      jwt as unknown as JwtService,
      uow.asUnitOfWork(),
      outbox as unknown as MailOutboxService,
      sessions as unknown as SessionsService,
      links as unknown as AccountLinksService,
      config,
    );
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e) => (e instanceof DomainError ? `${e.code}: ${e.message}` : String(e)),
    );
  const actorOf = (u: UserAccount): Actor => ({
    sessionId: 'session-of-this-call',
    id: u.id,
    role: u.role,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
  });

  describe('login', () => {
    it('starts a session for the account and client, and clears the account window', async () => {
      const u = repo.add({ email: 'dana@example.kz', role: 'seller', tokenVersion: 4 });
      const client = { ip: '1.2.3.4', userAgent: 'Safari' };
      const res = await auth.login(
        { email: ' Dana@Example.kz ', password: 'password-123' },
        client,
      );
      expect(sessions.begin).toHaveBeenCalledWith(
        expect.objectContaining({ id: u.id, role: 'seller', tokenVersion: 4 }),
        client,
      );
      expect(res).toMatchObject({ token_type: 'bearer', user: { id: u.id } });
    });

    it('still runs a (dummy) bcrypt check for an unknown email, and answers as for a bad password', async () => {
      repo.add({ email: 'dana@example.kz' });
      const unknown = await failure(
        auth.login({ email: 'nobody@example.kz', password: 'x' }, { ip: 'ip' }),
      );
      expect(hasher.verifyDummy).toHaveBeenCalledWith('x');
      expect(hasher.verify).not.toHaveBeenCalled();
      const wrong = await failure(
        auth.login({ email: 'dana@example.kz', password: 'x' }, { ip: 'ip' }),
      );
      expect(hasher.verify).toHaveBeenCalledTimes(1);
      expect(unknown).toMatch(/^INVALID_CREDENTIALS: /);
      expect(wrong).toBe(unknown);
      expect(sessions.begin).not.toHaveBeenCalled();
    });

    it('refuses a blocked user with the right password (USER_BLOCKED), without a token', async () => {
      repo.add({ email: 'blocked@example.kz', isActive: false });
      expect(
        await failure(
          auth.login({ email: 'blocked@example.kz', password: 'password-123' }, { ip: 'ip' }),
        ),
      ).toMatch(/^USER_BLOCKED: /);
      expect(sessions.begin).not.toHaveBeenCalled();
    });
  });

  describe('profile', () => {
    const change = (u: UserAccount, dto: Record<string, unknown>) =>
      auth.updateProfile(actorOf(u), dto);

    it('changes the password only with the right current one, and then ends every other session', async () => {
      const u = repo.add({ tokenVersion: 1 });
      expect(await failure(change(u, { new_password: 'new-password-1' }))).toMatch(/^BAD_REQUEST/);
      expect(
        await failure(change(u, { new_password: 'new-password-1', current_password: 'nope' })),
      ).toMatch(/^BAD_REQUEST/);
      expect(repo.writes).toEqual([]);
      expect(sessions.endAll).not.toHaveBeenCalled();
      expect(repo.row(u.id)).toMatchObject({ passwordHash: 'hash:password-123', tokenVersion: 1 });

      const res = await change(u, {
        new_password: 'new-password-1',
        current_password: 'password-123',
      });
      expect(res.id).toBe(u.id);
      expect(hasher.hash).toHaveBeenCalledWith('new-password-1');
      // the token version stays (this session goes on); the other sessions end in the same write
      expect(repo.row(u.id)).toMatchObject({
        passwordHash: 'hash:new-password-1',
        tokenVersion: 1,
      });
      const [tx, ...args] = sessions.endAll.mock.calls[0];
      expect([tx === uow.tx, ...args]).toEqual([
        true,
        u.id,
        'password_change',
        'session-of-this-call',
      ]);
      expect(uow.runs).toBe(1);
    });

    it('keeps the tokens for a name or phone change; current_password alone is a 400', async () => {
      const u = repo.add({ tokenVersion: 1 });
      const res = await change(u, { first_name: 'Дана', phone: '+77011234567' });
      expect(res).toMatchObject({ first_name: 'Дана', phone: '+77011234567' });
      expect(repo.row(u.id).tokenVersion).toBe(1);
      expect(sessions.endAll).not.toHaveBeenCalled();
      expect(await failure(change(u, { current_password: 'password-123' }))).toMatch(
        /^BAD_REQUEST/,
      );
    });

    it('writes nothing for an empty change', async () => {
      const u = repo.add();
      await change(u, {});
      expect(uow.runs).toBe(0);
    });
  });

  describe('register and the first admin', () => {
    it('hashes outside the transaction, inserts and queues the welcome mail (with its link) in it', async () => {
      const res = await auth.register({
        email: 'New@Example.kz',
        password: 'password-123',
        first_name: 'Ерлан',
        last_name: 'Серіков',
      });
      expect(res).toMatchObject({ email: 'new@example.kz', role: 'customer' });
      expect(repo.row(res.id).passwordHash).toBe('hash:password-123');
      const [tx, user] = links.welcome.mock.calls[0];
      expect([tx === uow.tx, user.email]).toEqual([true, 'new@example.kz']);
      expect(outbox.kick).toHaveBeenCalled();
      expect(uow.runs).toBe(1);
    });

    it('creates the configured admin once', async () => {
      await auth.onApplicationBootstrap();
      await auth.onApplicationBootstrap();
      const admins = [...repo.rows.values()].filter((u) => u.role === 'admin');
      expect(admins).toHaveLength(1);
      expect(admins[0]).toMatchObject({
        email: 'root@bibarys.kz',
        passwordHash: 'hash:admin-password-1',
      });
    });
  });
});
