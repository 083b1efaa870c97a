import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { AdminService } from './admin.service';

const admin: Actor = { id: 'a1', role: 'admin', email: 'a@b.kz', firstName: 'A', lastName: 'B' };

const user = (id: string, patch: object = {}) => ({
  id,
  email: `${id}@b.kz`,
  firstName: 'Айгерим',
  lastName: 'Нурланова',
  phone: null,
  role: 'customer',
  isActive: true,
  isVerified: false,
  passwordHash: 'secret-hash',
  tokenVersion: 3,
  createdAt: new Date('2026-11-01T10:00:00Z'),
  updatedAt: new Date('2026-11-02T10:00:00Z'),
  ...patch,
});

function setup() {
  const stats = { total_users: 3, total_orders: 2 };
  const users = {
    list: jest.fn(async () => [[user('u1'), user('u2')], 42] as const),
    changeRole: jest.fn(async (_a: Actor, id: string, role: string) => user(id, { role })),
    setActive: jest.fn(async (_a: Actor, id: string, isActive: boolean) => user(id, { isActive })),
  };
  const analytics = {
    stats: jest.fn(async () => stats),
    topProductsAllTime: jest.fn(async (n: number) => Array.from({ length: n }, (_, i) => ({ i }))),
  };
  const orders = {
    list: jest.fn(async (_a: Actor, q: { page_size?: number }) => ({
      items: Array.from({ length: q.page_size ?? 20 }, (_, i) => ({ id: `o${i}` })),
      total: 99,
    })),
  };
  const products = { page: jest.fn() };
  const service = new AdminService(
    users as never,
    analytics as never,
    orders as never,
    products as never,
    {} as never,
  );
  return { service, users, analytics, orders, stats };
}

describe('AdminService', () => {
  it('stats are the analytics’ all-time figures', async () => {
    const { service, stats } = setup();
    expect(await service.stats(admin)).toBe(stats);
  });

  it('the dashboard adds the 10 newest orders (as the admin sees them) and the 5 best sellers', async () => {
    const { service, orders, analytics } = setup();
    const d = await service.dashboard(admin);
    expect(orders.list).toHaveBeenCalledWith(admin, { page: 1, page_size: 10 });
    expect(analytics.topProductsAllTime).toHaveBeenCalledWith(5);
    expect(d).toMatchObject({ total_users: 3, total_orders: 2 });
    expect(d.recent_orders).toHaveLength(10);
    expect(d.top_products).toHaveLength(5);
  });

  it('lists users with the filters, the page turned into skip/take, without secrets', async () => {
    const { service, users } = setup();
    const page = await service.listUsers(admin, {
      page: 3,
      page_size: 10,
      role: 'seller',
      is_active: false,
      search: 'айг',
    });
    expect(users.list).toHaveBeenCalledWith({
      role: 'seller',
      isActive: false,
      search: 'айг',
      skip: 20,
      take: 10,
    });
    expect(page).toMatchObject({ total: 42, page: 3, page_size: 10, pages: 5 });
    expect(page.items[0]).toEqual({
      id: 'u1',
      email: 'u1@b.kz',
      first_name: 'Айгерим',
      last_name: 'Нурланова',
      phone: null,
      role: 'customer',
      is_active: true,
      is_verified: false,
      created_at: '2026-11-01T10:00:00.000Z',
      updated_at: '2026-11-02T10:00:00.000Z',
    });
  });

  it('defaults the user list to the first page of 20', async () => {
    const { service, users } = setup();
    await service.listUsers(admin, {});
    expect(users.list).toHaveBeenCalledWith(expect.objectContaining({ skip: 0, take: 20 }));
  });

  it('changes a role, blocks and unblocks as the acting admin', async () => {
    const { service, users } = setup();
    expect((await service.changeRole(admin, 'u7', { role: 'seller' })).role).toBe('seller');
    expect(users.changeRole).toHaveBeenCalledWith(admin, 'u7', 'seller');
    expect((await service.block(admin, 'u7')).is_active).toBe(false);
    expect(users.setActive).toHaveBeenLastCalledWith(admin, 'u7', false);
    expect((await service.unblock(admin, 'u7')).is_active).toBe(true);
    expect(users.setActive).toHaveBeenLastCalledWith(admin, 'u7', true);
  });

  it('passes the users module’s refusal on (blocking oneself is a 409 there)', async () => {
    const { service, users } = setup();
    users.setActive.mockRejectedValueOnce(
      new DomainError('SELF_ACTION', 'You cannot block yourself'),
    );
    await expect(service.block(admin, admin.id)).rejects.toMatchObject({ code: 'SELF_ACTION' });
  });

  it('lists every order through the orders module, as the admin', async () => {
    const { service, orders } = setup();
    await service.listOrders(admin, { page: 2, page_size: 5, status: 'shipped' });
    expect(orders.list).toHaveBeenCalledWith(admin, { page: 2, page_size: 5, status: 'shipped' });
  });
});
