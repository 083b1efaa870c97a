import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import express from 'express';
import request from 'supertest';

import { DASHBOARD_CSP, mountDashboard } from './dashboard';

describe('mountDashboard', () => {
  let dir: string;
  beforeAll(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'dash-')), 'dashboard');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const app = (d: string | null) => {
    const http = express();
    mountDashboard(http, d);
    http.use((_req, res) => res.status(404).send('api 404'));
    return http;
  };

  it('serves index.html at /dashboard/ revalidated on every load, under its own CSP', async () => {
    const res = await request(app(dir)).get('/dashboard/').expect(200);
    expect(res.text).toContain('<title>x</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
  });

  it('caches hashed assets for a year', async () => {
    const res = await request(app(dir)).get('/dashboard/assets/index-abc123.js').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('redirects /dashboard to /dashboard/ (relative asset paths need the slash)', async () => {
    const res = await request(app(dir)).get('/dashboard?x=1').expect(301);
    expect(res.headers.location).toBe('/dashboard/?x=1');
  });

  it('leaves unknown files and other methods to the rest of the server', async () => {
    await request(app(dir)).get('/dashboard/nope.js').expect(404, 'api 404');
    await request(app(dir)).post('/dashboard/').expect(404, 'api 404');
  });

  it('answers 503 with the way out when the dashboard was never built', async () => {
    const res = await request(app(null)).get('/dashboard/').expect(503);
    expect(res.text).toContain('npm run build');
  });
});
