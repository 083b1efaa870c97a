import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import sharp from 'sharp';

import { ServerProcess } from '../support/server-process';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * The release an operator deploys: scripts/release.sh builds it into a temporary folder (dist/,
 * package.json, package-lock.json and `npm ci --omit=dev`), and it must start there with nothing
 * from this checkout — no src/, no dev dependency, no NODE_PATH into our node_modules.
 *
 * The one liberty taken: better-sqlite3 would compile from source (about 70 s, the Dockerfile's
 * build stage does that for real). Its install script (prebuild-install) first looks for a
 * "local prebuild"; the test points it at a tarball of the module this checkout already compiled
 * (npm_config_better_sqlite3_local_prebuilds). The script and its steps stay exactly the same.
 */
/**
 * The build stage's `COPY <source>… <dest>` lines (WORKDIR-relative), before its `release.sh`.
 * No stage may copy from another here (`--from`), and sources are plain paths.
 */
function dockerBuildCopies(dockerfile: string): [string[], string][] {
  const build = dockerfile.split(/^FROM /m)[1];
  return [...build.matchAll(/^COPY (.+)$/gm)].map((m) => {
    const words = m[1].trim().split(/\s+/);
    if (words.some((w) => w.startsWith('--'))) throw new Error(`unexpected COPY flags: ${m[0]}`);
    const dest = words.pop()!;
    return [words, dest === '.' || dest === './' ? './' : dest.replace(/^\.\//, '')];
  });
}

describe('release (scripts/release.sh)', () => {
  let dir: string;
  let rel: string;
  let server: ServerProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bibarys-release-'));
    rel = join(dir, 'app');
    const prebuilds = join(dir, 'prebuilds');
    mkdirSync(prebuilds);
    const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
    const { version } = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8'));
    const tarball = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
    execFileSync('tar', [
      '-czf',
      join(prebuilds, tarball),
      '-C',
      sqliteDir,
      'build/Release/better_sqlite3.node',
    ]);
    // the release is built from what the Dockerfile's build stage copies, and nothing else (its
    // `npm ci` stands here as a link to the checkout's node_modules): a folder the build needs
    // and the Dockerfile forgot fails here; and the checkout's own dist/ is left alone, so the
    // suites that read it may run meanwhile
    const ctx = join(dir, 'context');
    mkdirSync(ctx);
    for (const [sources, dest] of dockerBuildCopies(
      readFileSync(join(ROOT, 'Dockerfile'), 'utf8'),
    )) {
      for (const source of sources) {
        const to = dest.endsWith('/') ? join(ctx, dest, source) : join(ctx, dest);
        cpSync(join(ROOT, source), to, { recursive: true });
      }
    }
    symlinkSync(join(ROOT, 'node_modules'), join(ctx, 'node_modules'));
    try {
      execFileSync('bash', [join(ctx, 'scripts', 'release.sh'), rel], {
        cwd: ctx,
        env: {
          ...process.env,
          RELEASE_NPM_FLAGS: '--prefer-offline',
          npm_config_better_sqlite3_local_prebuilds: prebuilds,
        },
        stdio: 'pipe',
        timeout: 240_000,
      });
    } catch (e) {
      const err = e as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`release.sh failed:\n${err.stdout}\n${err.stderr}`, { cause: e });
    }
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds dist/, package.json, package-lock.json and production dependencies only', () => {
    expect(readdirSync(rel).sort()).toEqual([
      'dist',
      'node_modules',
      'package-lock.json',
      'package.json',
    ]);
    expect(existsSync(join(rel, 'dist', 'main.js'))).toBe(true);
    // a dev dependency may be there only as a production package's own dependency
    // (@types/node under @types/jsonwebtoken): the lockfile says which
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')).packages;
    const devInstalled = Object.keys(pkg.devDependencies).filter((d) =>
      existsSync(join(rel, 'node_modules', d)),
    );
    expect(devInstalled.filter((d) => lock[`node_modules/${d}`].dev)).toEqual([]);
    for (const tool of ['typescript', 'jest', 'eslint', '@nestjs/testing', 'redoc', 'supertest'])
      expect(existsSync(join(rel, 'node_modules', tool))).toBe(false);
    for (const p of Object.keys(pkg.dependencies))
      expect(existsSync(join(rel, 'node_modules', p, 'package.json'))).toBe(true);
  });

  it('resolves every package the compiled code requires from the release itself', () => {
    const files = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? e.name === 'public' // static files for browsers (ReDoc), never required
            ? []
            : files(join(d, e.name))
          : e.name.endsWith('.js')
            ? [join(d, e.name)]
            : [],
      );
    const unresolved: string[] = [];
    let checked = 0;
    for (const f of files(join(rel, 'dist'))) {
      const req = createRequire(f);
      for (const m of readFileSync(f, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) {
        const spec = m[1];
        if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
        checked++;
        try {
          const found = req.resolve(spec);
          if (!found.startsWith(rel)) unresolved.push(`${spec} → ${found}`);
        } catch {
          unresolved.push(`${spec} (${f.slice(rel.length + 1)})`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(unresolved).toEqual([]);
  });

  it('starts with node dist/main.js on a fresh SQLite file in production mode and serves the API', async () => {
    server = await ServerProcess.start(
      {
        NODE_ENV: 'production',
        EMAIL_TRANSPORT: 'log',
        DATABASE_PATH: join(dir, 'data', 'bibarys.sqlite'),
      },
      rel,
    );
    const ready = await server.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');

    const email = 'release-check@example.kz';
    const reg = await server.request('POST', '/api/v1/auth/register', {
      body: { email, password: 'release-password-1', first_name: 'Айгүл', last_name: 'Сейтова' },
    });
    expect(reg.status).toBe(201);
    const login = await server.request('POST', '/api/v1/auth/login', {
      body: { email, password: 'release-password-1' },
    });
    expect(login.status).toBe(200);
    const me = await server.request('GET', '/api/v1/auth/me', { token: login.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);

    const redoc = await server.request('GET', '/api/redoc/redoc.standalone.js');
    expect(redoc.status).toBe(200);
    expect(String(redoc.body).length).toBeGreaterThan(100_000);
  });

  it('takes an image upload with the release’s own sharp (its native part for this platform)', async () => {
    const email = 'release-seller@example.kz';
    const body = { email, password: 'release-password-1', first_name: 'Дана', last_name: 'Ким' };
    const reg = await server!.request('POST', '/api/v1/auth/register', {
      body: { ...body, role: 'seller' },
    });
    expect(reg.status).toBe(201);
    const login = await server!.request('POST', '/api/v1/auth/login', {
      body: { email, password: body.password },
    });
    expect(login.status).toBe(200);
    const png = await sharp({
      create: { width: 30, height: 20, channels: 3, background: '#2a7' },
    })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'p.png');
    const res = await fetch(`${server!.url}/api/v1/media`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${login.body.access_token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const media = (await res.json()) as { url: string; width: number };
    expect(media.width).toBe(30);
    const got = await fetch(`${server!.url}${new URL(media.url).pathname}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
  });

  it('runs the migration CLI on the compiled data source, from the release', () => {
    const out = execFileSync('npm', ['run', '-s', 'migration:show'], {
      cwd: rel,
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'data', 'bibarys.sqlite') },
      encoding: 'utf8',
    });
    expect(out).toMatch(/\[X\] \d+ InitialSchema1764300000000/);
    expect(out).not.toMatch(/\[ \]/);
  });

  it('is what the Dockerfile builds: its build stage runs the same script', () => {
    const docker = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const stages = docker.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages;
    expect(build).toMatch(/python3/);
    expect(build).toMatch(/g\+\+/);
    expect(build).toMatch(/^RUN bash scripts\/release\.sh \/release$/m);
    expect(runtime).toMatch(/^node:(22|24)[\w.-]*slim/);
    expect(runtime).toMatch(/^COPY --from=build \/release \.\/$/m);
    expect(runtime).not.toMatch(/npm (ci|install)|COPY src/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/DATABASE_PATH=\/data\//);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/health\/ready/);
    expect(runtime).toMatch(/CMD \["node",.*"dist\/main\.js"\]/);
    // the release script the Dockerfile runs is the one this file ran
    expect(readFileSync(join(ROOT, 'scripts', 'release.sh'), 'utf8')).toMatch(/npm ci --omit=dev/);
  });

  it('has a compose file that runs the app on PostgreSQL with health checks', () => {
    const compose = readFileSync(join(ROOT, 'compose.yaml'), 'utf8');
    // top-level blocks of `services:` (two-space indent), each with its own lines
    const service = (name: string) => {
      const m = new RegExp(`^  ${name}:\\n((?:    .*\\n|\\s*\\n)+)`, 'm').exec(compose);
      if (!m) throw new Error(`no service ${name} in compose.yaml`);
      return m[1];
    };
    const db = service('db');
    const app = service('app');
    expect(db).toMatch(/image: postgres:\d+/);
    expect(db).toMatch(/healthcheck:[\s\S]*pg_isready/);
    expect(app).toMatch(/build: \./);
    expect(app).toMatch(/db:\n\s+condition: service_healthy/);
    expect(app).toMatch(/DATABASE_URL: postgres:\/\/[^\n]*@db:5432\//);
    expect(app).toMatch(/NODE_ENV: production/);
    expect(app).toMatch(/healthcheck:[\s\S]*\/health\/ready/);
  });
});
