import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

import cors from 'cors';
import helmet from 'helmet';

import { CONTENDED_MS, headersSetBy, installFrontDoor, TurnTaking } from './front-door';

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

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('TurnTaking', () => {
  it('lets everything in at once while no quick answer was given', () => {
    const turns = new TurnTaking();
    const ran: number[] = [];
    for (const i of [1, 2, 3]) turns.admit(() => ran.push(i));
    expect(ran).toEqual([1, 2, 3]);
    expect(turns.waiting).toBe(0);
  });

  it('after a quick answer, lets one in per turn of the event loop, in order', async () => {
    let now = 1000;
    const turns = new TurnTaking(CONTENDED_MS, () => now);
    turns.answeredQuickly();
    const ran: number[] = [];
    for (const i of [1, 2, 3]) turns.admit(() => ran.push(i));
    expect(ran).toEqual([1]);
    expect(turns.waiting).toBe(2);
    await nextTurn();
    expect(ran).toEqual([1, 2]);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3]);
    await nextTurn();
    // the turns are free again: the next one goes in at once
    now += 1;
    turns.admit(() => ran.push(4));
    expect(ran).toEqual([1, 2, 3, 4]);
  });

  it('lets the rest in together once quick answers stopped CONTENDED_MS ago', async () => {
    let now = 1000;
    const turns = new TurnTaking(CONTENDED_MS, () => now);
    turns.answeredQuickly();
    const ran: number[] = [];
    for (const i of [1, 2, 3, 4]) turns.admit(() => ran.push(i));
    expect(ran).toEqual([1]);
    now += CONTENDED_MS;
    // one that comes now still queues behind those waiting
    turns.admit(() => ran.push(5));
    expect(ran).toEqual([1]);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3, 4, 5]);
  });

  it('loses no one waiting when one of them throws', async () => {
    let now = 1000;
    const thrown: unknown[] = [];
    const turns = new TurnTaking(
      CONTENDED_MS,
      () => now,
      (e) => thrown.push(e),
    );
    turns.answeredQuickly();
    const ran: number[] = [];
    turns.admit(() => ran.push(1));
    turns.admit(() => {
      throw new Error('boom');
    });
    turns.admit(() => ran.push(3));
    now += CONTENDED_MS;
    await nextTurn();
    expect(ran).toEqual([1, 3]);
    expect(thrown).toEqual([new Error('boom')]);
  });
});

describe('installFrontDoor: requests for the app take turns', () => {
  /** Busy for `ms` of the event loop, as a login's synchronous statements are. */
  const spin = (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  };

  it('answers a quick request that comes while slow ones wait, before the last of them', async () => {
    const app = (_req: unknown, res: { end: (b: string) => void }) => {
      spin(20);
      res.end('slow');
    };
    const server = createServer(app as never);
    installFrontDoor(server, app as never, (req, res) => {
      if (req.url !== '/quick') return false;
      res.end('quick');
      return true;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    // connections open beforehand: the requests come on sockets the server already reads
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const order: string[] = [];
    const get = (path: string) =>
      new Promise<void>((resolve, reject) => {
        request({ port, host: '127.0.0.1', path, agent }, (res) => {
          res.resume();
          res.on('end', () => {
            order.push(path);
            resolve();
          });
        })
          .on('error', reject)
          .end();
      });
    try {
      await Promise.all(Array.from({ length: 8 }, () => get('/quick')));
      order.length = 0;
      const slow = [1, 2, 3, 4, 5, 6].map((i) => get(`/slow${i}`));
      // sent once the first slow request has held the event loop
      const quick = new Promise<void>((r) => setTimeout(r, 5)).then(() => get('/quick'));
      await Promise.all([...slow, quick]);
      // all at once, the six slow ones would run back to back (120 ms) before it is read
      expect(order.indexOf('/quick')).toBeLessThan(4);
    } finally {
      agent.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
