import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/**
 * The layering rules of docs/architecture.md, checked on the source: only repositories touch
 * TypeORM, a module never imports another module's entity or repository, module folders form no
 * cycle, and common/ never names a module.
 */
const SRC = __dirname;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

const rel = (p: string) => relative(SRC, p).split(sep).join('/');
const moduleOf = (p: string) => /^modules\/([^/]+)\//.exec(rel(p))?.[1] ?? null;

/** Every relative import of a file, resolved to a path under src (without extension). */
function importsOf(file: string): { target: string; typeOnly: boolean }[] {
  const src = readFileSync(file, 'utf8');
  const out: { target: string; typeOnly: boolean }[] = [];
  const re = /^\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm;
  for (const m of src.matchAll(re)) {
    out.push({ target: rel(resolve(join(file, '..'), m[2])), typeOnly: !!m[1] });
  }
  return out;
}

const all = filesUnder(SRC);
const inModules = all.filter((f) => moduleOf(f));

describe('architecture', () => {
  it('no service or non-repository class under modules/ queries the database', () => {
    const forbidden =
      /createQueryBuilder|getRepository\(|\.query\(|@InjectDataSource|@InjectRepository|\b(em|tx|manager)\.(find\w*|findOne\w*|count\w*|exist\w*|insert|update|delete|save|remove|upsert|increment|decrement|query)\(/;
    const offenders = inModules
      .filter((f) => !/\.(repository|entity)\.ts$/.test(f))
      .filter((f) => forbidden.test(readFileSync(f, 'utf8')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it("no module imports another module's entity or repository", () => {
    const offenders: string[] = [];
    for (const f of inModules) {
      for (const { target } of importsOf(f)) {
        const owner = /^modules\/([^/]+)\//.exec(target)?.[1];
        if (owner && owner !== moduleOf(f) && /\.(entity|repository)$/.test(target)) {
          offenders.push(`${rel(f)} → ${target}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('module folders import each other without a cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const f of inModules) {
      const from = moduleOf(f)!;
      for (const { target } of importsOf(f)) {
        const to = /^modules\/([^/]+)\//.exec(target)?.[1];
        if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const cycles: string[] = [];
    const walk = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (next === path[0]) cycles.push([...path, next].join(' → '));
        else if (!path.includes(next) && next > path[0]) walk(next, [...path, next]);
      }
    };
    for (const start of edges.keys()) walk(start, [start]);
    expect(cycles).toEqual([]);
  });

  it('common/ never imports a module', () => {
    const offenders = all
      .filter((f) => rel(f).startsWith('common/'))
      .flatMap((f) => importsOf(f).map((i) => `${rel(f)} → ${i.target}`))
      .filter((edge) => edge.includes('→ modules/'));
    expect(offenders).toEqual([]);
  });
});
