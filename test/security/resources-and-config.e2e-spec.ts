import { createTestApp, TestApp } from '../create-test-app';
import { makeUser } from '../factories/users';

/** OWASP API4 (unrestricted resource consumption) and API8 (security misconfiguration). */
describe('resource consumption (OWASP API4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = (body: string) =>
    t.http.post('/api/v1/auth/register').set('Content-Type', 'application/json').send(body);

  it('refuses a body over 1 MB with 413', async () => {
    const res = await post(JSON.stringify({ email: 'a@b.kz', password: 'x'.repeat(2_000_000) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('answers deeply nested JSON with a 400, not a crash', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect((await post(deep)).status).toBe(400);
    const deepObject = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    expect((await post(deepObject)).status).toBe(400);
    const nestedField = JSON.stringify({
      email: 'a@b.kz',
      password: 'password-1',
      first_name: { a: { b: { c: [] } } },
      last_name: 'x',
    });
    expect((await post(nestedField)).status).toBe(400);
  });

  it('answers huge arrays, very long strings and absurd numbers with 400', async () => {
    const base = { email: 'big@b.kz', password: 'password-1', first_name: 'A', last_name: 'B' };
    for (const body of [
      { ...base, first_name: Array.from({ length: 100_000 }, () => 'a') },
      { ...base, first_name: 'x'.repeat(500_000) },
      { ...base, email: `${'x'.repeat(300)}@b.kz` },
      { ...base, role: 1e308 },
      { ...base, first_name: 2 ** 53 + 1 },
    ]) {
      expect((await post(JSON.stringify(body))).status).toBe(400);
    }
    expect((await post('{"email": 1e999999}')).status).toBe(400);
  });

  it('refuses page_size beyond the cap and absurd page numbers with 400', async () => {
    const u = await makeUser(t.http, 'admin');
    for (const q of [
      'page_size=101',
      'page_size=1e308',
      'page=0',
      'page=-1',
      'page=9007199254740993',
      'page_size=abc',
    ]) {
      const res = await t.http.get(`/api/v1/admin/users?${q}`).set(u.auth);
      expect([400, 404]).toContain(res.status); // 404 only while the route does not exist
      if (res.status === 404) continue;
      expect(res.status).toBe(400);
    }
  });
});

describe('security configuration (OWASP API8)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://shop.bibarys.kz' });
  });
  afterAll(() => t.close());

  it('sends security headers and no x-powered-by', async () => {
    for (const path of ['/health', '/api/v1/auth/me', '/api/v1/no-such-route', '/api/docs-json']) {
      const res = await t.http.get(path);
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['content-security-policy']).toBeDefined();
    }
  });

  it('never shows a stack trace or internals in an error', async () => {
    const responses = await Promise.all([
      t.http.get('/api/v1/no-such-route'),
      t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"a":'),
      t.http.post('/api/v1/auth/login').send({ email: { $gt: '' }, password: { $ne: null } }),
      t.http.get('/api/v1/auth/me').set('Authorization', 'Bearer ' + 'A'.repeat(100)),
    ]);
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(Object.keys(res.body)).toEqual(
        expect.arrayContaining(['statusCode', 'error', 'message']),
      );
      expect(JSON.stringify(res.body)).not.toMatch(
        /\bat \S+ \(|node_modules|\.ts:\d+|SQLITE|QueryFailed|typeorm/i,
      );
    }
  });

  it('allows CORS for a listed origin and refuses an unlisted one', async () => {
    const ok = await t.http
      .options('/api/v1/products')
      .set('Origin', 'https://shop.bibarys.kz')
      .set('Access-Control-Request-Method', 'GET');
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.bibarys.kz');
    const evil = await t.http
      .options('/api/v1/products')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await t.http.get('/health').set('Origin', 'https://evil.example');
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('gives unknown routes a 404 in the common error shape', async () => {
    const res = await t.http.get('/api/v1/definitely-not-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
