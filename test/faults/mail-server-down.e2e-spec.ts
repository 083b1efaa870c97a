import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, ServerProcess, sleep } from '../support/server-process';
import { SmtpSink } from '../support/smtp-sink';
import { FaultDb } from './support/db';
import { sqliteRows } from './support/sqlite-locker';

/** A "mail server" that accepts TCP connections and never says a word (no SMTP greeting). */
async function silentSmtp(port: number): Promise<{ close(): Promise<void>; connections: number }> {
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server: Server = createServer((s) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The mail server hangs (accepts, never answers): registration, checkout and payment still
 * answer at once, the mails wait in the outbox, SIGTERM still exits cleanly, and once a working
 * mail server listens on that port the restarted service delivers every mail.
 */
describe('faults: the mail server hangs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bibarys-faults-mail-'));
  const path = join(dir, 'db.sqlite');
  let server: ServerProcess;
  let smtpPort: number;
  let silent: Awaited<ReturnType<typeof silentSmtp>>;
  let sink: SmtpSink | undefined;

  beforeAll(async () => {
    smtpPort = await freePort();
    silent = await silentSmtp(smtpPort);
    server = await ServerProcess.start({
      DATABASE_PATH: path,
      EMAIL_TRANSPORT: 'smtp',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      MAIL_POLL_MS: '100',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await silent?.close();
    await sink?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers at once, keeps every mail, exits on SIGTERM and delivers after the restart', async () => {
    const timed = async <T>(work: () => Promise<T>) => {
      const started = Date.now();
      const result = await work();
      return { result, ms: Date.now() - started };
    };
    const password = 'password-123';
    const people = { customer: 'mail.customer@example.kz', seller: 'mail.seller@example.kz' };
    const tokens: Record<string, string> = {};
    for (const [role, email] of Object.entries(people)) {
      const reg = await timed(() =>
        server.request('POST', '/api/v1/auth/register', {
          body: { email, password, first_name: 'Сауле', last_name: 'Бекова', role },
        }),
      );
      expect(reg.result.status).toBe(201);
      // a hanging mail server must not slow the request (its greeting timeout alone is 5 s)
      expect(reg.ms).toBeLessThan(4000);
      tokens[role] = (
        await server.request('POST', '/api/v1/auth/login', { body: { email, password } })
      ).body.access_token;
    }
    const product = await server.request('POST', '/api/v1/products', {
      token: tokens.seller,
      body: { name: 'Кумыс', description: 'Свежий', price: 1500, quantity: 5, category: 'food' },
    });
    expect(product.status).toBe(201);
    const cart = await server.request('POST', '/api/v1/cart/items', {
      token: tokens.customer,
      body: { product_id: product.body.id, quantity: 2 },
    });
    expect(cart.status).toBe(201);
    const order = await timed(() =>
      server.request('POST', '/api/v1/orders', {
        token: tokens.customer,
        body: {
          delivery_method: 'express',
          delivery_address: 'г. Шымкент, ул. Тауке хана 5',
          phone: '+77021112233',
        },
      }),
    );
    expect(order.result.status).toBe(201);
    expect(order.ms).toBeLessThan(4000);
    const payment = await timed(() =>
      server.request('POST', '/api/v1/payments', {
        token: tokens.customer,
        body: { order_id: order.result.body.id, payment_method: 'card' },
      }),
    );
    expect(payment.result.status).toBe(201);
    expect(payment.result.body.status).toBe('completed');
    expect(payment.ms).toBeLessThan(4000);

    // the sender did try the silent server, and the mails are all still waiting
    while (silent.connections === 0) await new Promise((r) => setTimeout(r, 50));
    const pending = () =>
      sqliteRows<{ to_address: string; kind: string; status: string }>(
        path,
        'SELECT to_address, kind, status FROM mail_outbox ORDER BY created_at',
      );
    const before = pending();
    expect(before.map((m) => m.kind)).toEqual(
      expect.arrayContaining(['welcome', 'welcome', 'order_confirmation']),
    );
    expect(before.filter((m) => m.status !== 'pending')).toEqual([]);

    // SIGTERM while a send hangs: the process still leaves, cleanly and in bounded time
    const exit = server.waitForExit(25_000);
    server.signal('SIGTERM');
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(pending().filter((m) => m.status !== 'pending')).toEqual([]);

    // a working mail server on the same address, the service restarted: everything leaves
    await silent.close();
    sink = new SmtpSink(smtpPort);
    await sink.start();
    // (the failed attempts were scheduled for a later retry: let that moment come now)
    const db = await FaultDb.open({ DATABASE_PATH: path });
    await db.query(`UPDATE mail_outbox SET next_attempt_at = created_at, locked_until = NULL`);
    await db.close();
    await server.restart();
    const all = before.length;
    await sink.waitFor((m) => m.length >= all, 30_000);
    expect(sink.mails.some((m) => m.to.includes(people.customer) && /Bibarys/.test(m.raw))).toBe(
      true,
    );
    // the sender marks a mail sent after the server took it: give the last update its moment
    let rows = pending();
    for (let i = 0; i < 100 && rows.some((m) => m.status !== 'sent'); i++) {
      await sleep(100);
      rows = pending();
    }
    expect(rows.filter((m) => m.status !== 'sent')).toEqual([]);
    expect(rows.length).toBe(all);
  });
});
