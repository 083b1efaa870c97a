import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '../../src/database/unit-of-work';
import { CatalogCache } from '../../src/modules/products/catalog-cache/catalog-cache';
import { CatalogCacheInterceptor } from '../../src/modules/products/catalog-cache/catalog-cache.interceptor';
import { SHARED_DB_MAX_AGE_MS } from '../../src/modules/products/catalog-cache/catalog-version';
import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { checkout } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';
import { FaultDb } from '../faults/support/db';

const API = '/api/v1/products';

/**
 * The catalog's answers are served from memory until the catalog changes. Every way a product
 * can change must be seen at once: the seller's edits, a sale and its cancellation, a write
 * straight to the table, a transaction that rolls back, and (SQLite) another process's commit.
 */
describe('catalog response cache (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  let customer: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    seller = await makeUser(t.http, 'seller');
    customer = await makeUser(t.http, 'customer');
  });
  afterAll(() => t.close());

  /** GET twice: the second must be a hit with the same body. Returns the body. */
  const readTwice = async (url: string) => {
    const first = await t.http.get(url).expect(200);
    const second = await t.http.get(url).expect(200);
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.body).toEqual(first.body);
    return second.body;
  };

  it('a repeated read is a hit; a seller edit is seen by the very next read', async () => {
    const p = await insertProduct(t.ds, seller.id, { name: 'Домбыра', price: 1000 });
    const listing = `${API}?search=домбыра`;
    expect((await readTwice(`${API}/${p.id}`)).price).toBe(1000);
    expect((await readTwice(listing)).items[0].price).toBe(1000);

    await t.http.put(`${API}/${p.id}`).set(seller.auth).send({ price: 1250.5 }).expect(200);

    const product = await t.http.get(`${API}/${p.id}`).expect(200);
    expect(product.headers['x-cache']).toBe('miss');
    expect(product.body.price).toBe(1250.5);
    expect((await t.http.get(listing).expect(200)).body.items[0].price).toBe(1250.5);
  });

  it('a sale and its cancellation move the quantity shown at once', async () => {
    const p = await insertProduct(t.ds, seller.id, { name: 'Чапан', quantity: 7 });
    expect((await readTwice(`${API}/${p.id}`)).quantity).toBe(7);
    const order = await checkout(t.http, customer, [{ product: p, quantity: 3 }]);
    expect((await t.http.get(`${API}/${p.id}`).expect(200)).body.quantity).toBe(4);
    expect((await readTwice(`${API}/${p.id}`)).quantity).toBe(4);
    await t.http.put(`/api/v1/orders/${order.id}/cancel`).set(customer.auth).expect(200);
    expect((await t.http.get(`${API}/${p.id}`).expect(200)).body.quantity).toBe(7);
  });

  it('a deactivated product leaves the listing and answers 404 at once', async () => {
    const p = await insertProduct(t.ds, seller.id, { name: 'Шапан уникальный' });
    const listing = `${API}?search=шапан уникальный`;
    expect((await readTwice(listing)).total).toBe(1);
    await readTwice(`${API}/${p.id}`);
    await t.http.delete(`${API}/${p.id}`).set(seller.auth).expect(204);
    expect((await t.http.get(listing).expect(200)).body.total).toBe(0);
    await t.http.get(`${API}/${p.id}`).expect(404);
  });

  it('an inactive product its seller sees is never served to anyone else', async () => {
    const p = await insertProduct(t.ds, seller.id, { isActive: false });
    for (let i = 0; i < 2; i++) {
      const own = await t.http.get(`${API}/${p.id}`).set(seller.auth).expect(200);
      expect(own.body.is_active).toBe(false);
      expect(own.headers['x-cache']).toBe('miss');
    }
    await t.http.get(`${API}/${p.id}`).expect(404);
  });

  it('a write straight to the table (not through the API) is seen', async () => {
    const p = await insertProduct(t.ds, seller.id, { name: 'Кесе' });
    await readTwice(`${API}/${p.id}`);
    await t.ds.getRepository(Product).update({ id: p.id }, { name: 'Кесе фарфоровая' });
    expect((await t.http.get(`${API}/${p.id}`).expect(200)).body.name).toBe('Кесе фарфоровая');
  });

  it('nothing read inside an open catalog write is kept, and a rollback leaves the old answer', async () => {
    const p = await insertProduct(t.ds, seller.id, { price: 300 });
    await readTwice(`${API}/${p.id}`);
    await expect(
      t.app.get(UnitOfWork).run(async (em) => {
        await em.update(Product, { id: p.id }, { price: 99_900 });
        // whatever this read sees (SQLite's one connection sees the open write), it is not kept
        const during = await t.http.get(`${API}/${p.id}`).expect(200);
        expect(during.headers['x-cache']).toBe('miss');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await t.http.get(`${API}/${p.id}`).expect(200);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.price).toBe(300);
    expect((await readTwice(`${API}/${p.id}`)).price).toBe(300);
  });

  it("another process's commit is seen (SQLite: at once; PostgreSQL: within the max age)", async () => {
    const p = await insertProduct(t.ds, seller.id, { price: 500 });
    await readTwice(`${API}/${p.id}`);
    const other = await FaultDb.open(t.env);
    try {
      await other.query('UPDATE products SET price = 70000 WHERE id = $1', [p.id]);
    } finally {
      await other.close();
    }
    if (t.db === 'postgres') await new Promise((r) => setTimeout(r, SHARED_DB_MAX_AGE_MS + 50));
    expect((await t.http.get(`${API}/${p.id}`).expect(200)).body.price).toBe(700);
  });

  it('CatalogCache.invalidateAll(): a change the products table does not show is seen by the very next read', async () => {
    // what another module does when it changes what the catalog may show (a suspended shop)
    const p = await insertProduct(t.ds, seller.id, { name: 'Асатаяк невидимый', price: 800 });
    const listing = `${API}?search=асатаяк невидимый`;
    expect((await readTwice(`${API}/${p.id}`)).price).toBe(800);
    expect((await readTwice(listing)).total).toBe(1);
    // raw SQL on this process's own connection: neither the entity subscriber nor (SQLite)
    // data_version moves, so only the invalidation tells the cache
    await t.ds.query(
      `UPDATE products SET price = 90000, is_active = ${t.db === 'postgres' ? 'false' : '0'} WHERE id = '${p.id}'`,
    );
    t.app.get(CatalogCache).invalidateAll();
    const listed = await t.http.get(listing).expect(200);
    expect(listed.headers['x-cache']).toBe('miss');
    expect(listed.body.total).toBe(0); // the listing total is recounted too
    await t.http.get(`${API}/${p.id}`).expect(404);
    await t.ds.query(
      `UPDATE products SET is_active = ${t.db === 'postgres' ? 'true' : '1'} WHERE id = '${p.id}'`,
    );
    t.app.get(CatalogCache).invalidateAll();
    expect((await t.http.get(`${API}/${p.id}`).expect(200)).body.price).toBe(900);
  });

  it('a rejected query is never cached, and the same URL stays rejected', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.http.get(`${API}?page=0`);
      expect(res.status).toBe(400);
      expect(res.headers['x-cache']).toBeUndefined();
    }
  });

  it("an anonymous product's first read is answered before the framework too: the framework's answer and headers, kept for the next read", async () => {
    const p = await insertProduct(t.ds, seller.id, { price: 4321 });
    const url = `${API}/${p.id}`;
    // the framework's miss: a token takes the request through Express
    const framework = await t.http.get(url).set(customer.auth).expect(200);
    expect(framework.headers['x-cache']).toBe('miss');
    t.app.get(CatalogCache).invalidateAll();
    const intercept = jest.spyOn(CatalogCacheInterceptor.prototype, 'intercept');
    try {
      const first = await t.http.get(url).set('X-Request-Id', 'req-first-1').expect(200);
      expect(intercept).not.toHaveBeenCalled();
      expect(first.headers['x-cache']).toBe('miss');
      expect(first.headers['x-request-id']).toBe('req-first-1');
      expect(first.text).toBe(framework.text);
      const same = (h: Record<string, string>) => {
        const { date: _d, 'x-request-id': _r, ...rest } = h;
        return rest;
      };
      expect(same(first.headers)).toEqual(same(framework.headers));
      const hit = await t.http.get(url).expect(200);
      expect(hit.headers['x-cache']).toBe('hit');
      expect(hit.headers.etag).toBe(first.headers.etag);
      // a conditional first read is a 304, as Express answers it
      t.app.get(CatalogCache).invalidateAll();
      await t.http.get(url).set('If-None-Match', String(first.headers.etag)).expect(304);
      expect(intercept).not.toHaveBeenCalled();
      // unknown, inactive, a hidden spelling of the id: Express answers, with its error shape
      const unknown = await t.http.get(`${API}/${randomUUID()}`).expect(404);
      expect(unknown.body.statusCode).toBe(404);
      const gone = await insertProduct(t.ds, seller.id, { isActive: false });
      const inactive = await t.http.get(`${API}/${gone.id}`).expect(404);
      expect(inactive.body).toMatchObject({
        statusCode: 404,
        error: 'Not Found',
        code: 'NOT_FOUND',
      });
      const upper = await t.http.get(`${API}/${p.id.toUpperCase()}`);
      const bad = await t.http.get(`${API}/not-a-uuid`).expect(400);
      expect(bad.body.statusCode).toBe(400);
      expect(upper.status).toBe(t.db === 'postgres' ? 200 : 404); // uuid vs text column
      expect(intercept.mock.calls.length).toBe(4);
    } finally {
      intercept.mockRestore();
    }
  });

  it('a first read with a write open in between is answered but not kept', async () => {
    const p = await insertProduct(t.ds, seller.id, { price: 555 });
    const url = `${API}/${p.id}`;
    const uow = t.app.get(UnitOfWork);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inside = new Promise<void>((r) => (started = r));
    const write = uow.run(async (tx) => {
      await tx.getRepository(Product).update({ id: p.id }, { price: 77700 });
      started();
      await held;
    });
    await inside;
    if (t.db === 'postgres') {
      // another connection: the committed price, not kept while the write is open
      const during = await t.http.get(url).expect(200);
      expect(during.headers['x-cache']).toBe('miss');
      expect(during.body.price).toBe(555);
      expect((await t.http.get(url).expect(200)).headers['x-cache']).toBe('miss');
    }
    release();
    await write;
    const after = await t.http.get(url).expect(200);
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.body.price).toBe(777);
    expect((await t.http.get(url).expect(200)).headers['x-cache']).toBe('hit');
  });

  it('an anonymous hit is answered before the framework, with the headers the framework sends', async () => {
    const p = await insertProduct(t.ds, seller.id, { price: 1234 });
    const url = `${API}/${p.id}`;
    const miss = await t.http.get(url).set('X-Request-Id', 'req-miss-1').expect(200);
    const intercept = jest.spyOn(CatalogCacheInterceptor.prototype, 'intercept');
    try {
      const hit = await t.http.get(url).set('X-Request-Id', 'req-hit-1').expect(200);
      expect(intercept).not.toHaveBeenCalled();
      expect(hit.headers['x-cache']).toBe('hit');
      expect(hit.headers['x-request-id']).toBe('req-hit-1');
      expect(hit.body).toEqual(miss.body);
      expect(Number(hit.headers['content-length'])).toBe(Buffer.byteLength(hit.text));
      const same = (h: Record<string, string>) => {
        const { date: _d, 'x-cache': _c, 'x-request-id': _r, ...rest } = h;
        return rest;
      };
      expect(same(hit.headers)).toEqual(same(miss.headers));
      // with credentials the request goes through the framework (guards see the token) and
      // still gets the stored answer
      const withToken = await t.http.get(url).set(customer.auth).expect(200);
      expect(intercept).toHaveBeenCalledTimes(1);
      expect(withToken.headers['x-cache']).toBe('hit');
      expect(withToken.body).toEqual(miss.body);
      // a HEAD, or a URL never answered, is not the fast path's business
      await t.http.head(url).expect(200);
      const other = await t.http.get(`${API}/${p.id}?x=1`).expect(200);
      expect(other.headers['x-cache']).toBe('miss');
      expect(intercept).toHaveBeenCalledTimes(3);
    } finally {
      intercept.mockRestore();
    }
  });
});

describe('catalog response cache bounds (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CATALOG_CACHE_ENTRIES: '100' });
  });
  afterAll(() => t.close());

  it('keeps CATALOG_CACHE_ENTRIES answers: the 101st distinct page pushes out the first', async () => {
    const page = (n: number) => t.http.get(`${API}?page=${n}`).expect(200);
    for (let n = 1; n <= 100; n++) await page(n);
    expect((await page(1)).headers['x-cache']).toBe('hit');
    await page(101); // the oldest kept goes first (a hit does not move it)
    expect((await page(101)).headers['x-cache']).toBe('hit');
    expect((await page(1)).headers['x-cache']).toBe('miss');
  });
});
