import { loadConfig } from '../../../config/app-config';
import { CatalogCache } from './catalog-cache';
import { CatalogVersion } from './catalog-version';

/** A catalog that never moves: only the bounds drop entries. */
const still = { maxAgeMs: Infinity, snapshot: () => 's', bump: () => undefined };

const cacheWith = (env: Record<string, string>) => {
  const cache = new CatalogCache(
    still as unknown as CatalogVersion,
    loadConfig({ NODE_ENV: 'test', ...env }),
  );
  cache.snapshot(); // as a read does before it keeps its answer
  return cache;
};

const keep = (cache: CatalogCache, key: string, bytes = 10) =>
  cache.keep(key, 'x'.repeat(bytes), `"${key}"`, 's', Date.now());

describe('CatalogCache bounds (CATALOG_CACHE_ENTRIES, CATALOG_CACHE_MB)', () => {
  it('keeps 2,000 answers by default and drops the oldest past that', () => {
    const cache = cacheWith({});
    for (let i = 0; i <= 2000; i++) keep(cache, `/p/${i}`);
    expect(cache.lookup('/p/0')).toBeUndefined();
    expect(cache.lookup('/p/1')?.etag).toBe('"/p/1"');
    expect(cache.lookup('/p/2000')?.etag).toBe('"/p/2000"');
  });

  it('keeps as many answers as CATALOG_CACHE_ENTRIES says', () => {
    const cache = cacheWith({ CATALOG_CACHE_ENTRIES: '5000' });
    for (let i = 0; i < 5000; i++) keep(cache, `/p/${i}`);
    expect(cache.lookup('/p/0')?.etag).toBe('"/p/0"');
    keep(cache, '/p/5000');
    expect(cache.lookup('/p/0')).toBeUndefined();
    expect(cache.lookup('/p/1')).toBeDefined();
  });

  it('holds the bodies under CATALOG_CACHE_MB, and keeps no answer over an eighth of it', () => {
    const cache = cacheWith({ CATALOG_CACHE_MB: '1' });
    const mb = 1024 * 1024;
    keep(cache, '/big', mb / 8 + 1);
    expect(cache.lookup('/big')).toBeUndefined();
    for (let i = 0; i < 9; i++) keep(cache, `/l/${i}`, mb / 8); // 9/8 MB: the first goes
    expect(cache.lookup('/l/0')).toBeUndefined();
    expect(cache.lookup('/l/1')).toBeDefined();
    expect(cache.lookup('/l/8')).toBeDefined();
  });
});
