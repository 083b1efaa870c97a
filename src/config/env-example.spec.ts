import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { getMetadataStorage } from 'class-validator';

import { EnvVars } from './app-config';

/**
 * .env.example is the operator's list of every variable: the names it documents must be exactly
 * those the code reads — the validated EnvVars class and any direct process.env read under src/.
 */
const SRC = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

function readByCode(): Set<string> {
  const names = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(EnvVars, '', true, false)
      .map((m) => m.propertyName),
  );
  const direct = /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"`]([A-Z][A-Z0-9_]*)['"`]\s*\])/g;
  for (const file of sources(SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(direct)) names.add(m[1] ?? m[2]);
  }
  return names;
}

function documented(): Set<string> {
  const text = readFileSync(join(SRC, '..', '.env.example'), 'utf8');
  return new Set([...text.matchAll(/^#?\s?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
}

describe('.env.example', () => {
  it('lists every variable the code reads', () => {
    const listed = documented();
    expect([...readByCode()].filter((v) => !listed.has(v)).sort()).toEqual([]);
  });

  it('lists no variable the code does not read', () => {
    const read = readByCode();
    expect([...documented()].filter((v) => !read.has(v)).sort()).toEqual([]);
  });

  it('finds the variables this test relies on (the scan itself works)', () => {
    const read = readByCode();
    for (const v of ['PORT', 'DATABASE_URL', 'JWT_SECRET', 'MIGRATIONS_RUN', 'TYPEORM_LOGGING'])
      expect(read).toContain(v);
  });
});
