import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import { FakeUsersRepository } from './fake-users.repository';
import type { UserCache } from './user-cache';
import { UsersService } from './users.service';

describe('UsersService', () => {
  let repo: FakeUsersRepository;
  let uow: FakeUnitOfWork;
  let cache: { get: jest.Mock };
  let users: UsersService;
  let admin: Actor;

  beforeEach(() => {
    repo = new FakeUsersRepository();
    uow = new FakeUnitOfWork();
    cache = { get: jest.fn(async (id: string) => repo.findById(id)) };
    users = new UsersService(
      repo.asRepository(),
      uow.asUnitOfWork(),
      cache as unknown as UserCache,
    );
    const row = repo.add({ role: 'admin', email: 'admin@bibarys.kz' });
    admin = { id: row.id, role: 'admin', email: row.email, firstName: 'A', lastName: 'B' };
  });

  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e) => (e instanceof DomainError ? e.code : String(e)),
    );

  describe('block and unblock', () => {
    it('blocks a user and moves the token version, in one write inside a transaction', async () => {
      const u = repo.add();
      const res = await users.setActive(admin, u.id, false);
      expect(res).toMatchObject({ id: u.id, isActive: false });
      expect(repo.row(u.id)).toMatchObject({ isActive: false, tokenVersion: 1 });
      expect(repo.writes).toEqual([{ id: u.id, changes: { isActive: false }, revokeTokens: true }]);
      expect(uow.runs).toBe(1);
    });

    it('unblocks without giving the old tokens back (the version stays moved)', async () => {
      const u = repo.add({ isActive: false, tokenVersion: 3 });
      await users.setActive(admin, u.id, true);
      expect(repo.row(u.id)).toMatchObject({ isActive: true, tokenVersion: 3 });
    });

    it('writes nothing when the user already is as asked', async () => {
      const u = repo.add({ isActive: false, tokenVersion: 1 });
      await users.setActive(admin, u.id, false);
      expect(repo.writes).toEqual([]);
      expect(repo.row(u.id).tokenVersion).toBe(1);
    });

    it('refuses to block oneself (SELF_ACTION) before opening a transaction', async () => {
      expect(await code(users.setActive(admin, admin.id, false))).toBe('SELF_ACTION');
      expect(uow.runs).toBe(0);
      expect(repo.row(admin.id)).toMatchObject({ isActive: true, tokenVersion: 0 });
    });

    it('answers NOT_FOUND for an unknown user', async () => {
      expect(
        await code(users.setActive(admin, '00000000-0000-4000-8000-000000000000', false)),
      ).toBe('NOT_FOUND');
      expect(repo.writes).toEqual([]);
    });
  });

  describe('role change', () => {
    it('sets the role and revokes the tokens issued before', async () => {
      const u = repo.add({ role: 'customer' });
      const res = await users.changeRole(admin, u.id, 'seller');
      expect(res.role).toBe('seller');
      expect(repo.row(u.id)).toMatchObject({ role: 'seller', tokenVersion: 1 });
      expect(repo.writes).toEqual([{ id: u.id, changes: { role: 'seller' }, revokeTokens: true }]);
    });

    it('keeps the tokens when the role is already that one', async () => {
      const u = repo.add({ role: 'seller' });
      await users.changeRole(admin, u.id, 'seller');
      expect(repo.writes).toEqual([]);
      expect(repo.row(u.id).tokenVersion).toBe(0);
    });

    it('refuses an admin changing their own role (SELF_ACTION)', async () => {
      expect(await code(users.changeRole(admin, admin.id, 'customer'))).toBe('SELF_ACTION');
      expect(repo.row(admin.id).role).toBe('admin');
      expect(uow.runs).toBe(0);
    });

    it('answers NOT_FOUND for an unknown user', async () => {
      expect(await code(users.changeRole(admin, 'missing', 'seller'))).toBe('NOT_FOUND');
    });
  });

  describe('profile changes', () => {
    it('writes a new password hash without moving the token version (auth ends the sessions)', async () => {
      const u = repo.add({ tokenVersion: 2 });
      await users.updateProfile(uow.tx, u.id, { passwordHash: 'hash:new' });
      expect(repo.row(u.id)).toMatchObject({ passwordHash: 'hash:new', tokenVersion: 2 });
      expect(repo.writes[0].revokeTokens).toBe(false);
    });

    it('keeps the tokens for a name or phone change', async () => {
      const u = repo.add({ tokenVersion: 2 });
      await users.updateProfile(uow.tx, u.id, { firstName: 'Дана', phone: '+77011234567' });
      expect(repo.row(u.id)).toMatchObject({ firstName: 'Дана', tokenVersion: 2 });
      expect(repo.writes[0].revokeTokens).toBe(false);
    });

    it('marks an address verified, and answers verification from the cache', async () => {
      const u = repo.add();
      expect(await users.isEmailVerified(u.id)).toBe(false);
      await users.markVerified(uow.tx, u.id);
      expect(repo.row(u.id)).toMatchObject({ isVerified: true, tokenVersion: 0 });
      expect(await users.isEmailVerified(u.id)).toBe(true);
      expect(cache.get).toHaveBeenCalledWith(u.id);
    });
  });

  describe('accounts', () => {
    it('inserts with a normalised email; a taken one (any case) is EMAIL_TAKEN', async () => {
      const row = { passwordHash: 'h', firstName: 'A', lastName: 'B', role: 'customer' as const };
      const u = await users.insert(uow.tx, { ...row, email: '  Dana@Example.KZ ' });
      expect(u).toMatchObject({ email: 'dana@example.kz', phone: null, isActive: true });
      expect(await code(users.insert(uow.tx, { ...row, email: 'DANA@example.kz' }))).toBe(
        'EMAIL_TAKEN',
      );
    });

    it('turns a lost race on the unique email index into EMAIL_TAKEN', async () => {
      repo.failNextInsert = Object.assign(new Error('duplicate'), { code: '23505' });
      const row = { passwordHash: 'h', firstName: 'A', lastName: 'B', role: 'customer' as const };
      expect(await code(users.insert(uow.tx, { ...row, email: 'race@example.kz' }))).toBe(
        'EMAIL_TAKEN',
      );
    });

    it('finds by email case-insensitively, and the token check goes through the cache', async () => {
      const u = repo.add({ email: 'aigerim@example.kz' });
      expect((await users.findByEmail(' AIGERIM@example.kz'))?.id).toBe(u.id);
      expect((await users.findForToken(u.id))?.id).toBe(u.id);
      expect(cache.get).toHaveBeenCalledWith(u.id);
    });
  });
});
