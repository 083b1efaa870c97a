import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ServerProcess } from '../support/server-process';

const ROOT = join(__dirname, '..', '..');

function seed(env: Record<string, string>) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'database', 'seed.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', BCRYPT_ROUNDS: '10', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
}

/** `npm run seed` never makes an admin with a known password, and never runs in production. */
describe('npm run seed', () => {
  let dir: string;
  let server: ServerProcess | undefined;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'bibarys-seed-'))));
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses under NODE_ENV=production and touches no database', () => {
    const path = join(dir, 'prod.sqlite');
    const res = seed({
      NODE_ENV: 'production',
      DATABASE_PATH: path,
      JWT_SECRET: 'x'.repeat(40),
      PAYMENT_WEBHOOK_SECRET: 'w'.repeat(40),
      EMAIL_TRANSPORT: 'log',
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/refuses to run with NODE_ENV=production/);
    expect(existsSync(path)).toBe(false);
  });

  it('creates the demo admin with a random password it prints, not a default one', async () => {
    const path = join(dir, 'demo.sqlite');
    const res = seed({ NODE_ENV: 'development', DATABASE_PATH: path, JWT_SECRET: 'x'.repeat(40) });
    expect(res.status).toBe(0);
    const m = /admin\s+(\S+@\S+) \/ (\S+)/.exec(res.stdout);
    expect(m).not.toBeNull();
    const [, email, password] = m!;
    expect(email).toBe('admin@bibarys.kz');
    expect(password).not.toBe('admin-password-1');
    expect(password.length).toBeGreaterThanOrEqual(16);

    server = await ServerProcess.start({
      DATABASE_PATH: path,
      ADMIN_EMAIL: 'someone-else@bibarys.test',
    });
    const login = (pw: string) =>
      server!.request('POST', '/api/v1/auth/login', { body: { email, password: pw } });
    expect((await login('admin-password-1')).status).toBe(401);
    const ok = await login(password);
    expect(ok.status).toBe(200);
    expect(ok.body.user.role).toBe('admin');
  });
});
