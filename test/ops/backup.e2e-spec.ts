import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ServerProcess } from '../support/server-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (
  path: string,
  o?: object,
) => {
  prepare(s: string): { get(...p: unknown[]): any; all(...p: unknown[]): any[] };
  pragma(s: string, o?: object): unknown;
  close(): void;
};

const ROOT = join(__dirname, '..', '..');

/** `npm run backup -- <file>` as an operator runs it beside the server. */
function backup(
  env: Record<string, string>,
  file: string,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', 'backup', '--', file], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run backup: an online, consistent copy of the SQLite database', () => {
  let dir: string;
  let server: ServerProcess;
  let restored: ServerProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bibarys-backup-'));
    env = { DATABASE_PATH: join(dir, 'live.sqlite') };
    server = await ServerProcess.start(env);
  });
  afterAll(async () => {
    await server?.stop();
    await restored?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies while the server writes; the copy opens, passes integrity_check and is one snapshot', async () => {
    const email = 'backup-seller@example.kz';
    await server.request('POST', '/api/v1/auth/register', {
      body: {
        email,
        password: 'seller-password-1',
        first_name: 'Ерлан',
        last_name: 'Қасымов',
        role: 'seller',
      },
    });
    const login = await server.request('POST', '/api/v1/auth/login', {
      body: { email, password: 'seller-password-1' },
    });
    const token = login.body.access_token as string;
    expect(token).toBeTruthy();

    // the server writes products (each with its stock-ledger row, in one transaction) the whole time
    let writing = true;
    let created = 0;
    const writers = [0, 1, 2].map(async (w) => {
      for (let i = 0; writing && i < 2000; i++) {
        const res = await server.request('POST', '/api/v1/products', {
          token,
          body: {
            name: `Товар ${w}-${i}`,
            description: 'Создан во время резервного копирования',
            price: 1000 + i,
            quantity: 1 + (i % 5),
            category: 'other',
          },
        });
        expect(res.status).toBe(201);
        created++;
      }
    });
    while (created < 20) await new Promise((r) => setTimeout(r, 50));

    const copies = [join(dir, 'copy-1.sqlite'), join(dir, 'copy-2.sqlite')];
    const results = [];
    const createdBefore = created;
    for (const file of copies) results.push(await backup(env, file));
    const createdDuring = created - createdBefore;
    writing = false;
    await Promise.all(writers);

    expect(createdDuring).toBeGreaterThan(0); // the copies were taken under writes
    for (const [i, file] of copies.entries()) {
      expect(results[i]).toMatchObject({ code: 0 });
      expect(existsSync(`${file}.partial`)).toBe(false);
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const products = db.prepare('SELECT COUNT(*) AS n FROM products').get().n as number;
        expect(products).toBeGreaterThan(0);
        expect(products).toBeLessThanOrEqual(created);
        // one snapshot: every product has its initial ledger row and no row lacks its product
        const orphans = db
          .prepare(
            `SELECT (SELECT COUNT(*) FROM products p WHERE NOT EXISTS
                      (SELECT 1 FROM stock_movements m WHERE m.product_id = p.id)) +
                    (SELECT COUNT(*) FROM stock_movements m WHERE NOT EXISTS
                      (SELECT 1 FROM products p WHERE p.id = m.product_id)) AS n`,
          )
          .get().n;
        expect(orphans).toBe(0);
        expect(db.prepare('SELECT email FROM users WHERE email = ?').get(email)).toEqual({ email });
      } finally {
        db.close();
      }
    }
  });

  it('restores by starting a server on the copy (stopped server, file in place of DATABASE_PATH)', async () => {
    const copy = join(dir, 'copy-2.sqlite');
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    const inCopy = db.prepare('SELECT COUNT(*) AS n FROM products WHERE is_active = 1').get().n;
    db.close();
    restored = await ServerProcess.start({ DATABASE_PATH: copy });
    const list = await restored.request('GET', '/api/v1/products?page_size=1');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(inCopy);
  });

  it('refuses without a file, and for PostgreSQL points to pg_dump', async () => {
    const none = await backup(env, '');
    expect(none.code).toBe(2);
    expect(none.out).toMatch(/usage: npm run backup -- <file>/);
    const pg = await backup(
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' },
      join(dir, 'x'),
    );
    expect(pg.code).toBe(2);
    expect(pg.out).toMatch(/pg_dump/);
  });
});
