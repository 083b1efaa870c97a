import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `app.close()` returns after writes on SQLite: the checkpoint worker is stopped with a
 * referenced timeout. With an unref'd one the event loop could go idle mid-close and the process
 * ended with exit 0 and nothing said — `npm run seed` then hid its own errors (it closes the app
 * in a `finally`). The race hit about one close in two; three rounds catch it nearly always.
 */
describe('shutdown on SQLite after writes', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'bibarys-close-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([1, 2, 3])('round %i: close() returns and the process says so', (round) => {
    const res = spawnSync(process.execPath, [join(__dirname, 'support', 'close-after-writes.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        DATABASE_PATH: join(dir, `close-${round}.sqlite`),
        JWT_SECRET: 'x'.repeat(40),
        BCRYPT_ROUNDS: '10',
        LOG_REQUESTS: 'false',
        N: '10',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('closed');
    expect(res.status).toBe(0);
  });
});
