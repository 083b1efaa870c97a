import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ServerProcess } from '../support/server-process';
import { SqliteLocker, sqliteRows } from './support/sqlite-locker';

/**
 * Another process holds the SQLite write lock (a backup, a second server): a write waits for the
 * busy timeout, then answers 503 with Retry-After, leaves nothing half-written, and the same
 * request succeeds once the lock is gone.
 */
describe('faults: SQLite file locked by another process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bibarys-faults-lock-'));
  const path = join(dir, 'db.sqlite');
  let server: ServerProcess;
  let token: string;
  const password = 'password-123';
  const email = 'locked.customer@example.kz';

  const count = (sql: string, ...params: unknown[]): number =>
    Number(sqliteRows<{ n: number }>(path, sql, ...params)[0].n);

  beforeAll(async () => {
    server = await ServerProcess.start({ DATABASE_PATH: path, SQLITE_BUSY_TIMEOUT_MS: '1000' });
    const reg = await server.request('POST', '/api/v1/auth/register', {
      body: { email, password, first_name: 'Айгерим', last_name: 'Сейткали' },
    });
    expect(reg.status).toBe(201);
    const login = await server.request('POST', '/api/v1/auth/login', {
      body: { email, password },
    });
    expect(login.status).toBe(200);
    token = login.body.access_token;
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a profile update answers 503 + Retry-After while locked, changes nothing, and succeeds after', async () => {
    const locker = await SqliteLocker.lock(path);
    let released = false;
    try {
      const started = Date.now();
      const res = await server.request('PUT', '/api/v1/auth/profile', {
        token,
        body: { first_name: 'Изменено' },
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|stack|at \//);
      // bounded by the busy timeout (1 s), with room for a slow machine
      expect(Date.now() - started).toBeLessThan(8000);
      await locker.release();
      released = true;
      const me = await server.request('GET', '/api/v1/auth/me', { token });
      expect(me.body.first_name).toBe('Айгерим');
      const again = await server.request('PUT', '/api/v1/auth/profile', {
        token,
        body: { first_name: 'Изменено' },
      });
      expect(again.status).toBe(200);
      expect(again.body.first_name).toBe('Изменено');
    } finally {
      if (!released) await locker.release();
    }
  });

  it('a registration answers 503 while locked, writes neither user nor mail, and succeeds after', async () => {
    const fresh = 'locked.newcomer@example.kz';
    const body = { email: fresh, password, first_name: 'Дамир', last_name: 'Нуров' };
    const locker = await SqliteLocker.lock(path);
    let released = false;
    try {
      const res = await server.request('POST', '/api/v1/auth/register', { body });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      await locker.release();
      released = true;
      expect(count('SELECT count(*) AS n FROM users WHERE email = ?', fresh)).toBe(0);
      expect(count('SELECT count(*) AS n FROM mail_outbox WHERE to_address = ?', fresh)).toBe(0);
      const again = await server.request('POST', '/api/v1/auth/register', { body });
      expect(again.status).toBe(201);
      expect(count('SELECT count(*) AS n FROM users WHERE email = ?', fresh)).toBe(1);
      expect(count('SELECT count(*) AS n FROM mail_outbox WHERE to_address = ?', fresh)).toBe(1);
    } finally {
      if (!released) await locker.release();
    }
  });

  it('a checkout answers 503 + Retry-After while locked, takes nothing, and the same request succeeds after', async () => {
    const seller = await server.request('POST', '/api/v1/auth/register', {
      body: {
        email: 'locked.seller@example.kz',
        password,
        first_name: 'Нурлан',
        last_name: 'Ли',
        role: 'seller',
      },
    });
    expect(seller.status).toBe(201);
    const sellerToken = (
      await server.request('POST', '/api/v1/auth/login', {
        body: { email: 'locked.seller@example.kz', password },
      })
    ).body.access_token;
    const product = await server.request('POST', '/api/v1/products', {
      token: sellerToken,
      body: {
        name: 'Домбра',
        description: 'Ручная работа',
        price: 45000,
        quantity: 3,
        category: 'other',
      },
    });
    expect(product.status).toBe(201);
    const added = await server.request('POST', '/api/v1/cart/items', {
      token,
      body: { product_id: product.body.id, quantity: 2 },
    });
    expect(added.status).toBe(201);
    const checkout = () =>
      server.request('POST', '/api/v1/orders', {
        token,
        headers: { 'Idempotency-Key': 'locked-checkout-1' },
        body: {
          delivery_method: 'standard',
          delivery_address: 'г. Караганда, ул. Бухар-Жырау 1',
          phone: '+77051234567',
        },
      });
    const snapshot = () => ({
      orders: count('SELECT count(*) AS n FROM orders'),
      items: count('SELECT count(*) AS n FROM order_items'),
      stock: count('SELECT quantity AS n FROM products WHERE id = ?', product.body.id),
      ledger: count(
        'SELECT sum(delta) AS n FROM stock_movements WHERE product_id = ?',
        product.body.id,
      ),
      cart: count('SELECT count(*) AS n FROM cart_items'),
      mails: count("SELECT count(*) AS n FROM mail_outbox WHERE kind = 'order_confirmation'"),
    });
    const before = snapshot();
    const locker = await SqliteLocker.lock(path);
    let released = false;
    try {
      const res = await checkout();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      await locker.release();
      released = true;
      expect(snapshot()).toEqual(before);
      const again = await checkout();
      expect(again.status).toBe(201);
      expect(again.body.items).toHaveLength(1);
      expect(snapshot()).toEqual({
        orders: before.orders + 1,
        items: before.items + 1,
        stock: 1,
        ledger: 1,
        cart: before.cart - 1,
        mails: before.mails + 1,
      });
    } finally {
      if (!released) await locker.release();
    }
  });

  it('keeps serving after repeated lock contention (no stuck transaction on the one connection)', async () => {
    for (let i = 0; i < 3; i++) {
      const locker = await SqliteLocker.lock(path);
      const res = await server.request('PUT', '/api/v1/auth/profile', {
        token,
        body: { last_name: `Попытка${i}` },
      });
      await locker.release();
      expect(res.status).toBe(503);
    }
    const ok = await server.request('PUT', '/api/v1/auth/profile', {
      token,
      body: { last_name: 'Готово' },
    });
    expect(ok.status).toBe(200);
    const ready = await server.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
  });
});
