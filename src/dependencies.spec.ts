import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

/**
 * Every package the server's code loads at run time is declared in `dependencies`: a release
 * installs only those (`npm ci --omit=dev`), so a package that is merely hoisted there by another
 * one (express under @nestjs/platform-express) or a dev dependency would break or vanish.
 */
const SRC = __dirname;
const pkg = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8'));
/** Dev dependencies the code may name, and why a build never loads them. */
const DEV_ONLY: Record<string, string> = {
  redoc: 'a build serves dist/public/redoc.standalone.js; the package only when running from src/',
  'pino-pretty': 'LOG_FORMAT=pretty probes it with require.resolve and logs JSON when it is absent',
};

/** Files that a build ships (tsconfig.build.json leaves out specs, fakes and testing/). */
function shipped(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : shipped(p);
    return /\.ts$/.test(e.name) && !/\.(spec|fakes)\.ts$/.test(e.name) ? [p] : [];
  });
}

function packagesLoaded(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs = [
    // value imports and re-exports (`import type` is erased by the compiler)
    ...[...src.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^'";]*?from\s+'([^'.][^']*)'/gm)].map(
      (m) => m[1],
    ),
    ...[...src.matchAll(/^\s*import\s+'([^'.][^']*)'/gm)].map((m) => m[1]),
    ...[...src.matchAll(/require(?:\.resolve)?\('([^'.][^']*)'\)/g)].map((m) => m[1]),
  ];
  return specs
    .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
}

describe('runtime dependencies', () => {
  it('declares in dependencies every package the shipped code loads', () => {
    const missing: string[] = [];
    for (const f of shipped(SRC)) {
      for (const p of packagesLoaded(f)) {
        if (!pkg.dependencies[p] && !(p in DEV_ONLY))
          missing.push(`${p} (${f.slice(SRC.length + 1)})`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });

  it('sees the imports it checks (express, typeorm, better-sqlite3)', () => {
    const all = new Set(shipped(SRC).flatMap(packagesLoaded));
    for (const p of ['express', 'typeorm', 'better-sqlite3', '@nestjs/core'])
      expect(all).toContain(p);
  });
});
