import { SHARED_DB_MAX_AGE_MS } from '../../src/database/cache-signal';
import { SERVER_ADMIN, ServerProcess, sleep } from '../support/server-process';
import { FaultDb } from './support/db';
import { PgCluster } from './support/pg-cluster';

const API = '/api/v1';
/** Within this long another process's change must be seen (the bound). */
const NOTIFY_BOUND_MS = 100;

interface Account {
  id: string;
  token: string;
  email: string;
}

const sidOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;

/**
 * Caches across server processes on one PostgreSQL database: a change made through process A is
 * seen by process B (which LISTENs on bibarys_cache) within 100 ms — a product's price, a block,
 * a role change, a revoked session, a seller's balance — while process C (PG_CACHE_LISTEN=false, the behaviour
 * before) keeps serving what it read for about its 1 s maximum age. A listener whose connection
 * is killed connects again and drops every cache once, so a commit made while it was away is not
 * served stale.
 */
describe('faults: cache notifications between server processes (PostgreSQL)', () => {
  let pg: PgCluster;
  let url: string;
  let a: ServerProcess;
  let b: ServerProcess;
  let c: ServerProcess;
  let db: FaultDb;
  let admin: string;
  let seller: string;
  let n = 0;

  beforeAll(async () => {
    pg = await PgCluster.create();
    url = await pg.createDatabase('bibarys_cache_notify');
    a = await ServerProcess.start({ DATABASE_URL: url }); // migrates
    [b, c] = await Promise.all([
      ServerProcess.start({ DATABASE_URL: url }),
      ServerProcess.start({ DATABASE_URL: url, PG_CACHE_LISTEN: 'false' }),
    ]);
    db = await FaultDb.open({ DATABASE_URL: url });
    admin = (await login(SERVER_ADMIN.email, SERVER_ADMIN.password)).token;
    seller = (await register('seller')).token;
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
    pg?.destroy();
  });

  async function login(email: string, password = 'password-123'): Promise<Account> {
    const res = await a.request('POST', `${API}/auth/login`, { body: { email, password } });
    expect(res.status).toBe(200);
    const me = await a.request('GET', `${API}/auth/me`, { token: res.body.access_token });
    return { id: me.body.id, token: res.body.access_token, email };
  }

  async function register(role: 'customer' | 'seller' = 'customer'): Promise<Account> {
    const email = `notify.${process.pid}.${++n}@example.kz`;
    const res = await a.request('POST', `${API}/auth/register`, {
      body: { email, password: 'password-123', first_name: 'Асель', last_name: 'Ахметова', role },
    });
    expect(res.status).toBe(201);
    return login(email);
  }

  /** ms until `seen()` holds (polled back to back), or Infinity after `deadlineMs`. */
  async function within(seen: () => Promise<boolean>, deadlineMs = 3000): Promise<number> {
    const t0 = performance.now();
    while (performance.now() - t0 < deadlineMs) {
      if (await seen()) return performance.now() - t0;
      await sleep(2);
    }
    return Infinity;
  }

  const meStatus = async (s: ServerProcess, token: string) =>
    (await s.request('GET', `${API}/auth/me`, { token })).status;
  const product = (s: ServerProcess, id: string) => s.request('GET', `${API}/products/${id}`);

  /**
   * One change through A: `warm` reads the state on B and C (so both just cached it), `change`
   * makes it, `changed(s)` tells whether server s shows it. Answers how long B took after the
   * change, and how long C took after the start of its warm-up read (its entry is no older).
   */
  async function race(
    warm: (s: ServerProcess) => Promise<void>,
    change: () => Promise<void>,
    changed: (s: ServerProcess) => Promise<boolean>,
  ): Promise<{ b: number; c: number }> {
    const warmedFrom = performance.now();
    await Promise.all([warm(b), warm(c)]);
    expect([await changed(b), await changed(c)]).toEqual([false, false]);
    await change();
    const changedAt = performance.now();
    const [tb, tc] = await Promise.all([within(() => changed(b)), within(() => changed(c))]);
    return { b: tb, c: changedAt - warmedFrom + tc };
  }

  /**
   * Five rounds: B sees a change within 100 ms (the median), C, without the listener, after ~1 s.
   * Five, not three: a CI run with the browser suite alongside once had two of three rounds at
   * 381 and 452 ms (and 32 ms), every other sample of that run at 4–28 ms.
   */
  async function expectSeenByListenerOnly(round: () => Promise<{ b: number; c: number }>) {
    const times: Array<{ b: number; c: number }> = [];
    for (let i = 0; i < 5; i++) times.push(await round());
    const bs = times.map((t) => t.b).sort((x, y) => x - y);
    console.log(
      `seen after (ms): ${JSON.stringify(times.map((t) => ({ b: Math.round(t.b), c: Math.round(t.c) })))}`,
    );
    expect(bs[2]).toBeLessThan(NOTIFY_BOUND_MS); // typical (the median)
    expect(bs[4]).toBeLessThan(SHARED_DB_MAX_AGE_MS / 2); // every one, even on a loaded machine
    // the same read without notifications waits out the maximum age of what it just read
    // (the median: C may also drop its entries early when a sweep of its own writes the table)
    const cs = times.map((t) => t.c).sort((x, y) => x - y);
    expect(cs[2]).toBeGreaterThan(SHARED_DB_MAX_AGE_MS - 50);
    for (const c of cs) expect(c).toBeLessThan(SHARED_DB_MAX_AGE_MS + 2000);
  }

  async function newProduct(token = seller): Promise<string> {
    const res = await a.request('POST', `${API}/products`, {
      token,
      body: {
        name: `Шапка ${++n}`,
        description: 'Тёплая',
        price: 5000,
        quantity: 5,
        category: 'clothing',
      },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it("a product's new price", async () => {
    await expectSeenByListenerOnly(async () => {
      const id = await newProduct();
      return race(
        async (s) => {
          for (let i = 0; i < 2; i++) expect((await product(s, id)).body.price).toBe(5000);
        },
        async () => {
          const res = await a.request('PUT', `${API}/products/${id}`, {
            token: seller,
            body: { price: 6500 },
          });
          expect(res.status).toBe(200);
        },
        async (s) => (await product(s, id)).body.price === 6500,
      );
    });
  });

  it("a suspended shop's product leaves the catalog", async () => {
    const legal = { legal_form: 'too', bin_iin: '971240001315', iban: 'KZ86125KZT5004100100' };
    await expectSeenByListenerOnly(async () => {
      const owner = await register('seller');
      const shop = { name: `Магазин ${++n}`, ...legal, bik: 'CASPKZKA', kbe: '17' };
      const put = await a.request('PUT', `${API}/seller/shop`, { token: owner.token, body: shop });
      expect(put.status).toBe(200);
      const submit = await a.request('POST', `${API}/seller/shop/submit`, { token: owner.token });
      expect(submit.status).toBe(200);
      const decide = (action: string, body?: object) =>
        a.request('PUT', `${API}/admin/sellers/${owner.id}/${action}`, { token: admin, body });
      expect((await decide('approve')).status).toBe(200);
      const id = await newProduct(owner.token);
      return race(
        async (s) => {
          // visible and just cached (C, which hears nothing, may drop it once when it notices
          // the approval by itself)
          const cached = async () => {
            const res = await product(s, id);
            return res.status === 200 && res.headers.get('x-cache') === 'hit';
          };
          expect(await within(cached)).toBeLessThan(Infinity);
        },
        async () => expect((await decide('suspend', { reason: 'Проверка' })).status).toBe(200),
        async (s) => (await product(s, id)).status === 404,
      );
    });
  });

  it("a seller's balance after an admin's adjustment", async () => {
    await expectSeenByListenerOnly(async () => {
      const owner = await register('seller');
      const available = async (s: ServerProcess) => {
        const res = await s.request('GET', `${API}/seller/balance`, { token: owner.token });
        expect(res.status).toBe(200);
        return res.body.available as number;
      };
      const adjust = (amount: number) =>
        a.request('POST', `${API}/admin/sellers/${owner.id}/adjustments`, {
          token: admin,
          body: { amount, note: 'Компенсация доставки' },
        });
      expect((await adjust(100)).status).toBe(201); // a summary row exists, then is cached
      return race(
        async (s) => {
          for (let i = 0; i < 2; i++) expect(await available(s)).toBe(100);
        },
        async () => expect((await adjust(250)).status).toBe(201),
        async (s) => (await available(s)) === 350,
      );
    });
  });

  /** A call through A after which `token` must stop working on B (and, later, on C). */
  const tokenStops = (token: string, call: () => Promise<{ status: number }>, status: number) =>
    race(
      async (s) => {
        for (let i = 0; i < 2; i++) expect(await meStatus(s, token)).toBe(200);
      },
      async () => expect((await call()).status).toBe(status),
      async (s) => (await meStatus(s, token)) === 401,
    );

  it('a block of an account', async () => {
    await expectSeenByListenerOnly(async () => {
      const u = await register();
      return tokenStops(
        u.token,
        () => a.request('PUT', `${API}/admin/users/${u.id}/block`, { token: admin }),
        200,
      );
    });
  });

  it('a role change', async () => {
    await expectSeenByListenerOnly(async () => {
      const u = await register();
      const body = { role: 'seller' };
      return tokenStops(
        u.token,
        () => a.request('PUT', `${API}/admin/users/${u.id}/role`, { token: admin, body }),
        200,
      );
    });
  });

  it('a revoked session', async () => {
    await expectSeenByListenerOnly(async () => {
      const u = await register();
      const phone = await login(u.email);
      const path = `${API}/auth/sessions/${sidOf(phone.token)}`;
      return tokenStops(phone.token, () => a.request('DELETE', path, { token: u.token }), 204);
    });
  });

  const listenerPid = async (s: ServerProcess): Promise<number | undefined> => {
    const rows = await db.query<{ pid: number }>(
      // idle after the query that follows LISTEN (or a later ping): LISTEN is in force
      `SELECT pid FROM pg_stat_activity WHERE application_name LIKE $1 AND state = 'idle'
         AND query LIKE 'SELECT %'`,
      [`bibarys-${s.pid}-%/listen`],
    );
    return rows[0]?.pid;
  };

  it('a killed listener connects again and drops every cache once: a commit it missed is not served', async () => {
    expect(await listenerPid(c)).toBeUndefined(); // PG_CACHE_LISTEN=false holds none
    const id = await newProduct();
    const old = await listenerPid(b);
    expect(old).toBeDefined();

    const warmedAt = performance.now();
    expect((await product(b, id)).headers.get('x-cache')).toBe('miss');
    expect((await product(b, id)).headers.get('x-cache')).toBe('hit');
    await db.query('SELECT pg_terminate_backend($1)', [old]);
    expect(await within(async () => (await listenerPid(b)) !== old)).toBeLessThan(Infinity);
    // the change is made while B hears nothing (its notification goes to no one of B's)
    await db.query('UPDATE products SET price = price + 100000 WHERE id = $1', [id]);
    const back = await within(async () => (await listenerPid(b)) !== undefined);
    expect(back).toBeLessThan(Infinity);
    const res = await product(b, id);
    const age = performance.now() - warmedAt;
    expect(res.body.price).toBe(6000);
    // served while the entry was younger than the fallback maximum age: only the flush explains it
    expect(age).toBeLessThan(SHARED_DB_MAX_AGE_MS);
    expect(b.output).toMatch(/cache notifications lost/);

    // and it hears again: A's next change is seen within the bound
    expect((await product(b, id)).headers.get('x-cache')).toBe('hit');
    const put = await a.request('PUT', `${API}/products/${id}`, {
      token: seller,
      body: { price: 7000 },
    });
    expect(put.status).toBe(200);
    expect(await within(async () => (await product(b, id)).body.price === 7000)).toBeLessThan(
      NOTIFY_BOUND_MS * 3,
    );
  });
});
