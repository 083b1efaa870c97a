import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Browser } from 'playwright-core';

import { ServerProcess } from '../support/server-process';
import { checkScreen, launchChromium, signIn } from './support/browser';

const ROOT = join(__dirname, '..', '..');

/**
 * Issue 19's newcomer: `npm run seed` prints the demo accounts, and with them one signs in to the
 * dashboard as the demo admin and as the demo seller (who has sales, a balance and a payout).
 */
describe('the seed’s printed accounts open the dashboard (Chromium)', () => {
  let dir: string;
  let browser: Browser;
  let server: ServerProcess;
  let stdout: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bibarys-seed-dash-'));
    const path = join(dir, 'demo.sqlite');
    const env = { DATABASE_PATH: path, JWT_SECRET: 'x'.repeat(40), NODE_ENV: 'development' };
    const res = spawnSync(process.execPath, [join(ROOT, 'dist', 'database', 'seed.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', BCRYPT_ROUNDS: '10', ...env },
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (res.status !== 0) throw new Error(`seed failed: ${res.stderr}`);
    stdout = res.stdout;
    [browser, server] = await Promise.all([
      launchChromium(),
      ServerProcess.start({ ...env, ADMIN_EMAIL: 'someone-else@bibarys.test' }),
    ]);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints where the dashboard is', () => {
    expect(stdout).toContain('/dashboard/');
  });

  it('signs in as the printed admin', async () => {
    const [, email, password] = /admin\s+(\S+@\S+) \/ (\S+)/.exec(stdout)!;
    const page = await browser.newPage();
    await signIn(page, server.url, email, password);
    await page.waitForURL(/#\/admin/);
    await checkScreen(page, 'seed-admin-home');
    await page.close();
  });

  it('signs in as the printed first seller, who has money to see', async () => {
    const password = /password for sellers and customers: (\S+?)\)/.exec(stdout)![1];
    const email = /seller\s+(\S+@\S+)/.exec(stdout)![1];
    const page = await browser.newPage();
    await signIn(page, server.url, email, password);
    await page.waitForURL(/#\/seller/);
    await checkScreen(page, 'seed-seller-home');
    await page.close();
  });
});
