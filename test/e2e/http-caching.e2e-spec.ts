import { PERSONAL_CACHE_CONTROL, PUBLIC_CACHE_CONTROL } from '../../src/common/http/cache-control';
import { CatalogCache } from '../../src/modules/products/catalog-cache/catalog-cache';
import { RESPONSE_HEADERS } from '../../src/openapi/document';
import { CORS_EXPOSED_HEADERS, CORS_MAX_AGE_S } from '../../src/setup-app';
import { createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

const API = '/api/v1/products';
const ORIGIN = 'https://shop.bibarys.test';

/**
 * HTTP caching of the public catalog: a strong ETag per stored body, 304 on If-None-Match on
 * the fast path (anonymous) and through the framework (with a token, or on a miss), public
 * Cache-Control with Vary: Authorization on public reads, private no-store on everything else;
 * and CORS lets a browser read the headers and keep its preflights.
 */
describe('HTTP caching and CORS (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  let customer: Actor;

  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: ORIGIN });
    seller = await makeUser(t.http, 'seller');
    customer = await makeUser(t.http, 'customer');
  });
  afterAll(() => t.close());

  const publicHeaders = (res: { headers: Record<string, string> }) => {
    expect(res.headers['cache-control']).toBe(PUBLIC_CACHE_CONTROL);
    expect(res.headers.vary).toMatch(/\bAuthorization\b/);
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  };

  it('a product read carries a strong ETag; If-None-Match gets a bodiless 304 on the fast path', async () => {
    const p = await insertProduct(t.ds, seller.id, { name: 'Кесе' });
    const miss = await t.http.get(`${API}/${p.id}`).expect(200);
    expect(miss.headers['x-cache']).toBe('miss');
    publicHeaders(miss);
    const hit = await t.http.get(`${API}/${p.id}`).expect(200);
    expect(hit.headers['x-cache']).toBe('hit');
    publicHeaders(hit);
    expect(hit.headers.etag).toBe(miss.headers.etag);

    const not = await t.http.get(`${API}/${p.id}`).set('If-None-Match', miss.headers.etag);
    expect(not.status).toBe(304);
    expect(not.text).toBe('');
    expect(not.headers['x-cache']).toBe('hit'); // the fast path answered
    publicHeaders(not);
    // a list of tags, and the weak form, match too; another tag does not
    const listed = await t.http
      .get(`${API}/${p.id}`)
      .set('If-None-Match', `"other", W/${miss.headers.etag}`);
    expect(listed.status).toBe(304);
    await t.http.get(`${API}/${p.id}`).set('If-None-Match', '"other"').expect(200);
  });

  it('the framework path answers 304 too: with a token, and on a miss with the same body', async () => {
    const p = await insertProduct(t.ds, seller.id, { name: 'Тостаған' });
    const url = `${API}?search=тостаған`;
    const first = await t.http.get(url).expect(200);
    publicHeaders(first);
    const withToken = await t.http
      .get(url)
      .set(customer.auth)
      .set('If-None-Match', first.headers.etag);
    expect(withToken.status).toBe(304);
    expect(withToken.headers.etag).toBe(first.headers.etag);

    t.app.get(CatalogCache).invalidateAll(); // the next read is a miss with the same body
    const again = await t.http.get(url).set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.headers['x-cache']).toBe('miss');

    await t.http.put(`${API}/${p.id}`).set(seller.auth).send({ price: 999 }).expect(200);
    const changed = await t.http.get(url).set('If-None-Match', first.headers.etag).expect(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(changed.body.items[0].price).toBe(999);
  });

  it('personal answers and errors are private, no-store, without an ETag', async () => {
    const hidden = await insertProduct(t.ds, seller.id, { isActive: false });
    const own = await t.http.get(`${API}/${hidden.id}`).set(seller.auth).expect(200);
    expect(own.headers['cache-control']).toBe(PERSONAL_CACHE_CONTROL);
    expect(own.headers.etag).toBeUndefined();
    for (const res of [
      await t.http.get('/api/v1/cart').set(customer.auth).expect(200),
      await t.http.get('/api/v1/auth/me').set(customer.auth).expect(200),
      await t.http.get(`${API}/${hidden.id}`).expect(404),
      await t.http.get(`${API}?page_size=1000`).expect(400),
      await t.http.get('/api/v1/orders').expect(401),
    ]) {
      expect(res.headers['cache-control']).toBe(PERSONAL_CACHE_CONTROL);
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['x-request-id']).toBeTruthy();
    }
  });

  it('CORS exposes the documented headers to the allowed origin and caches preflights', async () => {
    const p = await insertProduct(t.ds, seller.id);
    const res = await t.http.get(`${API}/${p.id}`).set('Origin', ORIGIN).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    const exposed = res.headers['access-control-expose-headers'].split(',');
    // every header the document promises is readable (Cache-Control is safelisted; Vary is for caches)
    const documented = Object.keys(RESPONSE_HEADERS).filter(
      (h) => !/^(Cache-Control|Vary)$/.test(h),
    );
    expect(exposed).toEqual(expect.arrayContaining(documented));
    expect(exposed).toEqual(CORS_EXPOSED_HEADERS);
    expect(res.headers.vary).toMatch(/Origin/);
    expect(res.headers.vary).toMatch(/Authorization/);

    const pre = await t.http
      .options('/api/v1/orders')
      .set('Origin', ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-max-age']).toBe(String(CORS_MAX_AGE_S));
    expect(pre.headers['access-control-allow-headers']).toMatch(/idempotency-key/i);

    const other = await t.http.get(`${API}/${p.id}`).set('Origin', 'https://evil.test');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("a fast-path hit (answered in front of Express) sends the framework's headers for each origin", async () => {
    const p = await insertProduct(t.ds, seller.id);
    const url = `${API}/${p.id}`;
    const same = (h: Record<string, string>) => {
      const { date: _d, 'x-cache': _c, 'x-request-id': _r, ...rest } = h;
      return rest;
    };
    // the framework's answers (a token bypasses the fast path), then the anonymous hits
    const framework = (origin?: string) => {
      const r = t.http.get(url).set(customer.auth);
      return origin ? r.set('Origin', origin) : r;
    };
    const anonymous = (origin?: string) => {
      const r = t.http.get(url);
      return origin ? r.set('Origin', origin) : r;
    };
    await t.http.get(url).expect(200); // stored
    for (const origin of [undefined, ORIGIN, 'https://evil.test', ORIGIN, undefined]) {
      const want = await framework(origin);
      const hit = await anonymous(origin);
      expect(hit.status).toBe(200);
      expect(hit.headers['x-cache']).toBe('hit');
      expect(same(hit.headers)).toEqual(same(want.headers));
      expect(hit.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(hit.headers['x-request-id']).not.toBe(want.headers['x-request-id']);
      expect(hit.headers['content-security-policy']).toBeTruthy(); // helmet's, on the fast path
      expect(hit.headers['access-control-allow-origin']).toBe(
        origin === ORIGIN ? ORIGIN : undefined,
      );
    }
    const notModified = await anonymous(ORIGIN).set(
      'If-None-Match',
      `"x", ${String((await anonymous()).headers.etag)}`,
    );
    expect(notModified.status).toBe(304);
    expect(notModified.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(notModified.headers.vary).toBe('Origin, Authorization');
    expect(notModified.headers['content-security-policy']).toBeTruthy();
  });
});
