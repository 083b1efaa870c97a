import { Product } from '../../src/modules/products/product.entity';
import { User } from '../../src/modules/users/user.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { insertOrder } from '../factories/analytics';
import { checkout } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, login, makeUser } from '../factories/users';

describe('admin (e2e)', () => {
  let t: TestApp;
  let admin: Actor;
  let seller: Actor;
  let c1: Actor;
  let c2: Actor;
  let victim: Actor;
  let promo: Actor;
  let p1: Product;
  let p2: Product;
  let p3: Product;
  let placed: Record<string, any>;

  const api = '/api/v1/admin';
  const get = (path: string, who: Actor = admin) => t.http.get(`${api}/${path}`).set(who.auth);
  const put = (path: string, body: object = {}, who: Actor = admin) =>
    t.http.put(`${api}/${path}`).set(who.auth).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
    seller = await makeUser(t.http, 'seller', { first_name: 'Бауыржан', last_name: 'Сейтов' });
    c1 = await makeUser(t.http, 'customer', {
      email: 'aigerim.nurlan@example.kz',
      first_name: 'Айгерим',
      last_name: 'Нурланова',
    });
    c2 = await makeUser(t.http, 'customer', { first_name: 'Ерлан', last_name: 'Серіков' });
    victim = await makeUser(t.http, 'customer', { first_name: 'Данияр', last_name: 'Ким' });
    promo = await makeUser(t.http, 'customer', { first_name: 'Мадина', last_name: 'Оспанова' });
    p1 = await insertProduct(t.ds, seller.id, { name: 'Домбра', price: 1000, quantity: 20 });
    p2 = await insertProduct(t.ds, seller.id, { name: 'Старый товар', isActive: false });
    p3 = await insertProduct(t.ds, seller.id, { name: 'Камча', quantity: 3 });
    await insertOrder(t.ds, {
      userId: c2.id,
      createdAt: '2026-01-10T10:00:00Z',
      fulfillments: [
        { status: 'delivered', delivery: 1500, lines: [{ product: p1, quantity: 1 }] },
      ],
    });
    await insertOrder(t.ds, {
      userId: c2.id,
      createdAt: '2026-01-11T10:00:00Z',
      fulfillments: [
        { status: 'cancelled', delivery: 1500, lines: [{ product: p3, quantity: 2 }] },
      ],
    });
    placed = await checkout(t.http, c1, [{ product: p1, quantity: 2 }]);
  });
  afterAll(() => t.close());

  const STATS = {
    total_users: 6,
    active_users: 6,
    total_products: 3,
    active_products: 2,
    total_orders: 3,
    total_revenue: 2500,
    users_by_role: { customer: 4, seller: 1, admin: 1 },
    orders_by_status: {
      pending: 1,
      confirmed: 0,
      processing: 0,
      shipped: 0,
      delivered: 1,
      cancelled: 1,
      refunded: 0,
    },
  };

  describe('GET /admin/stats and /admin/dashboard', () => {
    it('gives all-time figures, revenue counted as in analytics', async () => {
      const res = await get('stats');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(STATS);
    });

    it('adds the 10 newest orders and the 5 best sellers on the dashboard', async () => {
      const res = await get('dashboard');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(STATS);
      expect(res.body.recent_orders).toHaveLength(3);
      expect(res.body.recent_orders[0]).toMatchObject({
        id: placed.id,
        user_id: c1.id,
        status: 'pending',
        total_amount: 3500,
      });
      expect(res.body.top_products).toEqual([
        { product_id: p1.id, name: 'Домбра', units_sold: 1, revenue: 1000 },
      ]);
    });

    it('is for admins only (401, 403)', async () => {
      for (const path of ['stats', 'dashboard', 'users', 'orders', 'products']) {
        expect((await t.http.get(`${api}/${path}`)).status).toBe(401);
        expect((await get(path, seller)).status).toBe(403);
        expect((await get(path, c1)).status).toBe(403);
      }
    });
  });

  describe('GET /admin/users', () => {
    const ids = (body: { items: { id: string }[] }) => body.items.map((u) => u.id).sort();

    it('pages every user, newest first, without password hashes', async () => {
      const res = await get('users?page_size=4');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 6, page: 1, page_size: 4, pages: 2 });
      expect(res.body.items[0].id).toBe(promo.id);
      expect(JSON.stringify(res.body)).not.toMatch(/password|\$2[aby]\$/);
      const page2 = await get('users?page_size=4&page=2');
      expect(page2.body.items).toHaveLength(2);
    });

    it('filters by role and is_active', async () => {
      const sellers = await get('users?role=seller');
      expect(ids(sellers.body)).toEqual([seller.id]);
      const customers = await get('users?role=customer&is_active=true');
      expect(customers.body.total).toBe(4);
      const inactive = await get('users?is_active=false');
      expect(inactive.body.total).toBe(0);
    });

    it('searches email and name, case-insensitively, Cyrillic included', async () => {
      expect(ids((await get('users?search=AIGERIM.NURLAN')).body)).toEqual([c1.id]);
      expect(ids((await get(`users?search=${encodeURIComponent('айгерим')}`)).body)).toEqual([
        c1.id,
      ]);
      expect(ids((await get(`users?search=${encodeURIComponent('ЕРЛАН')}`)).body)).toEqual([c2.id]);
      expect(
        ids((await get(`users?search=${encodeURIComponent('Айгерим Нурланова')}`)).body),
      ).toEqual([c1.id]);
      expect((await get(`users?search=${encodeURIComponent('%')}`)).body.total).toBe(0);
      expect((await get('users?search=nobody-like-this')).body.total).toBe(0);
    });

    it('answers 400 for bad filters, page sizes or unknown parameters', async () => {
      for (const q of [
        'role=root',
        'is_active=maybe',
        'page_size=101',
        'page=0',
        'sort=email',
        `search=${'x'.repeat(101)}`,
      ]) {
        const res = await get(`users?${q}`);
        expect([q, res.status]).toEqual([q, 400]);
      }
    });
  });

  describe('PUT /admin/users/{id}/role', () => {
    it('changes the role; old tokens die at once, a new login carries the new role', async () => {
      expect((await t.http.get('/api/v1/seller/products').set(promo.auth)).status).toBe(403);
      const res = await put(`users/${promo.id}/role`, { role: 'seller' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: promo.id, role: 'seller' });
      expect((await t.http.get('/api/v1/auth/me').set(promo.auth)).status).toBe(401);
      const again = await login(t.http, promo.email, promo.password);
      expect(again.role).toBe('seller');
      expect((await t.http.get('/api/v1/seller/products').set(again.auth)).status).toBe(200);
      // and back: the seller token dies too
      expect((await put(`users/${promo.id}/role`, { role: 'customer' })).status).toBe(200);
      expect((await t.http.get('/api/v1/seller/products').set(again.auth)).status).toBe(401);
    });

    it('refuses an admin changing their own role (409)', async () => {
      const res = await put(`users/${admin.id}/role`, { role: 'customer' });
      expect(res.status).toBe(409);
      expect((await t.ds.getRepository(User).findOneByOrFail({ id: admin.id })).role).toBe('admin');
    });

    it('answers 400 for a bad role, id or extra field, 404 for an unknown user, 403/401', async () => {
      expect((await put(`users/${c2.id}/role`, { role: 'root' })).status).toBe(400);
      expect((await put(`users/${c2.id}/role`, {})).status).toBe(400);
      expect((await put(`users/${c2.id}/role`, { role: 'seller', x: 1 })).status).toBe(400);
      expect((await put('users/not-a-uuid/role', { role: 'seller' })).status).toBe(400);
      const missing = '00000000-0000-4000-8000-000000000000';
      expect((await put(`users/${missing}/role`, { role: 'seller' })).status).toBe(404);
      expect((await put(`users/${c2.id}/role`, { role: 'admin' }, seller)).status).toBe(403);
      expect((await t.http.put(`${api}/users/${c2.id}/role`).send({ role: 'admin' })).status).toBe(
        401,
      );
      expect((await t.ds.getRepository(User).findOneByOrFail({ id: c2.id })).role).toBe('customer');
    });
  });

  describe('PUT /admin/users/{id}/block and /unblock', () => {
    it('blocks: the existing token answers 401 on the very next request, login 403', async () => {
      expect((await t.http.get('/api/v1/auth/me').set(victim.auth)).status).toBe(200);
      const res = await put(`users/${victim.id}/block`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: victim.id, is_active: false });
      expect((await t.http.get('/api/v1/auth/me').set(victim.auth)).status).toBe(401);
      expect((await t.http.get('/api/v1/cart').set(victim.auth)).status).toBe(401);
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email: victim.email, password: victim.password });
      expect(login.status).toBe(403);
      expect((await get('users?is_active=false')).body.items.map((u: User) => u.id)).toEqual([
        victim.id,
      ]);
      expect((await get('stats')).body.active_users).toBe(5);
    });

    it('unblocks: a new login works, tokens from before the block stay dead', async () => {
      const res = await put(`users/${victim.id}/unblock`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: victim.id, is_active: true });
      expect((await t.http.get('/api/v1/auth/me').set(victim.auth)).status).toBe(401);
      const fresh = await login(t.http, victim.email, victim.password);
      expect((await t.http.get('/api/v1/auth/me').set(fresh.auth)).status).toBe(200);
    });

    it('refuses blocking oneself (409); 404 unknown, 400 bad id, 403/401 others', async () => {
      expect((await put(`users/${admin.id}/block`)).status).toBe(409);
      expect((await t.http.get('/api/v1/auth/me').set(admin.auth)).status).toBe(200);
      const missing = '00000000-0000-4000-8000-000000000000';
      expect((await put(`users/${missing}/block`)).status).toBe(404);
      expect((await put(`users/${missing}/unblock`)).status).toBe(404);
      expect((await put('users/123/block')).status).toBe(400);
      expect((await put(`users/${c2.id}/block`, {}, seller)).status).toBe(403);
      expect((await put(`users/${c2.id}/unblock`, {}, c1)).status).toBe(403);
      expect((await t.http.put(`${api}/users/${c2.id}/block`)).status).toBe(401);
      expect((await t.ds.getRepository(User).findOneByOrFail({ id: c2.id })).isActive).toBe(true);
    });
  });

  describe('GET /admin/orders and /admin/products', () => {
    it('lists every order of every customer, newest first, filtered by status', async () => {
      const res = await get('orders?page_size=2');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, page_size: 2, pages: 2 });
      expect(res.body.items[0].id).toBe(placed.id);
      expect(new Set(res.body.items.map((o: { user_id: string }) => o.user_id))).toEqual(
        new Set([c1.id, c2.id]),
      );
      const delivered = await get('orders?status=delivered');
      expect(delivered.body.total).toBe(1);
      expect(delivered.body.items[0]).toMatchObject({ user_id: c2.id, total_amount: 2500 });
      expect((await get('orders?status=lost')).status).toBe(400);
      expect((await get('orders?page_size=0')).status).toBe(400);
    });

    it('lists every product, inactive included', async () => {
      const res = await get('products');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(3);
      const ids = res.body.items.map((p: { id: string }) => p.id).sort();
      expect(ids).toEqual([p1.id, p2.id, p3.id].sort());
      const old = res.body.items.find((p: { id: string }) => p.id === p2.id);
      expect(old).toMatchObject({ is_active: false, seller_id: seller.id, name: 'Старый товар' });
      expect((await get('products?page_size=1&page=3')).body.items).toHaveLength(1);
      expect((await get('products?is_active=false')).status).toBe(400);
    });
  });
});
