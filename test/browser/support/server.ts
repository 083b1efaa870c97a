import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SERVER_ADMIN, ServerProcess } from '../../support/server-process';

export { SERVER_ADMIN };

/** The built server (dist/, with dist/dashboard/) on a fresh SQLite file in a temp folder. */
export async function startServer(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bibarys-browser-'));
  const server = await ServerProcess.start({
    DATABASE_PATH: join(dir, 'bibarys.sqlite'),
    MEDIA_DIR: join(dir, 'media'),
    ...env,
  });
  return {
    server,
    dir,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Registers a user through the API and logs in: its token. */
export async function apiUser(
  server: ServerProcess,
  email: string,
  password: string,
  role: 'customer' | 'seller' = 'customer',
): Promise<string> {
  const reg = await server.request('POST', '/api/v1/auth/register', {
    body: { email, password, first_name: 'Тест', last_name: email.split('@')[0], role },
  });
  if (reg.status !== 201) throw new Error(`register ${reg.status}: ${JSON.stringify(reg.body)}`);
  const login = await server.request('POST', '/api/v1/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login ${login.status}`);
  return login.body.access_token as string;
}
