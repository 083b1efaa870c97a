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
