import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

import cors from 'cors';
import helmet from 'helmet';

import { headersSetBy, installFrontDoor } from './front-door';

describe('headersSetBy', () => {
  it('records what helmet and CORS set for a GET from an origin, in their order', () => {
    const c = cors({
      origin: (o, cb) => cb(null, o === 'https://a.test'),
      exposedHeaders: ['X-A'],
    });
    const allowed = headersSetBy([helmet(), c], { origin: 'https://a.test' });
    const names = allowed.filter((_, i) => i % 2 === 0);
    expect(names[0]).toBe('Content-Security-Policy');
    expect(names).toEqual(expect.arrayContaining(['X-Frame-Options', 'Vary']));
    const at = (h: string[], n: string) => h[h.indexOf(n) + 1];
    expect(at(allowed, 'Access-Control-Allow-Origin')).toBe('https://a.test');
    expect(at(allowed, 'Access-Control-Expose-Headers')).toBe('X-A');
    expect(at(allowed, 'Vary')).toBe('Origin');
    const refused = headersSetBy([helmet(), c], { origin: 'https://b.test' });
    expect(refused).not.toContain('Access-Control-Allow-Origin');
    expect(refused).not.toContain('Vary');
  });

  it('refuses a middleware that does not go on at once, or fails', () => {
    const later = (_q: never, _s: never, next: () => void) => void setImmediate(next);
    expect(() => headersSetBy([later], {})).toThrow(/did not call next/);
    const failing = (_q: never, _s: never, next: (e?: unknown) => void) => next(new Error('no'));
    expect(() => headersSetBy([failing], {})).toThrow('no');
  });
});

describe('installFrontDoor', () => {
  it('answers what the handler takes and hands everything else to the app', async () => {
    const app = (_req: unknown, res: { end: (b: string) => void }) => res.end('app');
    const server = createServer(app as never);
    installFrontDoor(server, app as never, (req, res) => {
      if (req.url !== '/front') return false;
      res.end('front');
      return true;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = server.address() as AddressInfo;
        request({ port, host: '127.0.0.1', path }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        })
          .on('error', reject)
          .end();
      });
    try {
      expect(await get('/front')).toBe('front');
      expect(await get('/other')).toBe('app');
      expect(server.listeners('request')).toHaveLength(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses a server whose request listener is not the app', () => {
    const server = createServer(() => undefined);
    expect(() =>
      installFrontDoor(
        server,
        () => undefined,
        () => false,
      ),
    ).toThrow(/not the server/);
  });
});
