import { readFileSync } from 'node:fs';

import { createTestApp, TestApp } from '../create-test-app';

/** ReDoc comes from the pinned `redoc` package through this server, never `latest` from a CDN. */
describe('ReDoc', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('serves a page that loads only this server’s copy of the bundle', async () => {
    const res = await t.http.get('/api/redoc').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const scripts = [...res.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['/api/redoc/redoc.standalone.js']);
    expect(res.text).not.toMatch(/https?:\/\//);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/https?:|cdn/);
  });

  it('serves the installed package’s bundle byte for byte, at the version package.json pins', async () => {
    const res = await t.http
      .get('/api/redoc/redoc.standalone.js')
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    const file = readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'));
    expect(Buffer.compare(res.body as Buffer, file)).toBe(0);
    const pinned = JSON.parse(readFileSync('package.json', 'utf8')).devDependencies.redoc;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(JSON.parse(readFileSync(require.resolve('redoc/package.json'), 'utf8')).version).toBe(
      pinned,
    );
  });
});
