import type { ObjectLiteral } from 'typeorm';

import type { EntityVersion } from './entity-version';
import { TableCache } from './table-cache';

interface Row {
  id: string;
  n: number;
}

function kit(maxEntries: number) {
  let snapshot: string | null = 'v1';
  const version = {
    snapshot: () => snapshot,
    maxAgeMs: Infinity,
  } as unknown as EntityVersion<ObjectLiteral>;
  const load = jest.fn(async (id: string): Promise<Row | null> => ({ id, n: 1 }));
  const cache = new TableCache<Row>(version, load, (r) => ({ ...r }), { maxEntries });
  const loadsOf = (id: string) => load.mock.calls.filter(([x]) => x === id).length;
  return { cache, load, loadsOf, move: (s: string | null) => (snapshot = s) };
}

describe('TableCache', () => {
  it('answers a kept row without loading it again, as a copy', async () => {
    const { cache, load } = kit(10);
    const a = await cache.get('a');
    a!.n = 99; // a caller changing its copy changes nothing kept
    expect(await cache.get('a')).toEqual({ id: 'a', n: 1 });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads again once the table moved, and keeps nothing read while a write is open', async () => {
    const { cache, load, move } = kit(10);
    await cache.get('a');
    move('v2');
    await cache.get('a');
    expect(load).toHaveBeenCalledTimes(2);
    move(null);
    await cache.get('a');
    await cache.get('a');
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('drops the least recently used row when full, not the oldest one', async () => {
    const { cache, loadsOf } = kit(3);
    for (const id of ['busy', 'b', 'c']) await cache.get(id);
    // the busy account is asked for again and again while others come and go once
    for (const id of ['d', 'e', 'f', 'g']) {
      await cache.get('busy');
      await cache.get(id);
    }
    await cache.get('busy');
    expect(loadsOf('busy')).toBe(1);
    await cache.get('b'); // long dropped
    expect(loadsOf('b')).toBe(2);
  });

  it('peeks at a kept, current row synchronously and at nothing else', async () => {
    const { cache, load, move } = kit(10);
    expect(cache.peek('a')).toBeUndefined();
    await cache.get('a');
    const seen = cache.peek('a');
    expect(seen).toEqual({ id: 'a', n: 1 });
    seen!.n = 7; // a copy
    expect(cache.peek('a')).toEqual({ id: 'a', n: 1 });
    move('v2');
    expect(cache.peek('a')).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1); // peeking never reads
  });

  it('does not peek at a row that is no longer fresh', async () => {
    let fresh = true;
    const version = {
      snapshot: () => 'v1',
      maxAgeMs: Infinity,
    } as unknown as EntityVersion<ObjectLiteral>;
    const cache = new TableCache<Row>(
      version,
      async (id) => ({ id, n: 1 }),
      (r) => ({ ...r }),
      {
        fresh: () => fresh,
      },
    );
    await cache.get('a');
    expect(cache.peek('a')).toBeDefined();
    fresh = false;
    expect(cache.peek('a')).toBeUndefined();
  });

  it('keeps a row used at least once per half a cache of new rows, however many come', async () => {
    const { cache, loadsOf } = kit(10);
    await cache.get('busy');
    for (let i = 0; i < 100; i++) {
      await cache.get(`other-${i}`);
      if (i % 5 === 4) await cache.get('busy');
    }
    expect(loadsOf('busy')).toBe(1);
    await cache.get('other-0'); // dropped long ago
    expect(loadsOf('other-0')).toBe(2);
  });
});
