import { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { firstValueFrom, of } from 'rxjs';

import { loadConfig } from '../../../config/app-config';
import { CatalogCache } from './catalog-cache';
import { CatalogCacheInterceptor } from './catalog-cache.interceptor';
import { publicAnswer } from './catalog-cacheable';
import { CatalogCached } from './catalog-cached.decorator';
import { CatalogVersion } from './catalog-version';

/** A catalog version under the test's control. */
class FakeVersion {
  snap: string | null = '1';
  n = 0;
  maxAgeMs = Infinity;
  snapshot() {
    return this.snap === null ? null : `${this.snap}:${this.n}`;
  }
  bump() {
    this.n++;
  }
}

/** Handlers as the controller declares them. */
class Handlers {
  @CatalogCached('all') listing() {}
  @CatalogCached('public') product() {}
  notDeclared() {}
}

describe('CatalogCacheInterceptor', () => {
  const version = new FakeVersion();
  const store = new CatalogCache(
    version as unknown as CatalogVersion,
    loadConfig({ NODE_ENV: 'test' }),
  );
  const cache = new CatalogCacheInterceptor(store, new Reflector());
  let handled = 0;
  let lastHeaders: Record<string, string> = {};

  const get = async (
    url: string,
    value: unknown = { items: [url] },
    handler: keyof Handlers = 'listing',
  ) => {
    const headers: Record<string, string> = {};
    const ctx = {
      switchToHttp: () => ({
        getRequest: () => ({ method: 'GET', originalUrl: url }),
        getResponse: () => ({
          setHeader: (k: string, v: string) => (headers[k] = v),
          getHeader: (k: string) => headers[k],
        }),
      }),
      getHandler: () => Handlers.prototype[handler],
    } as unknown as ExecutionContext;
    const next: CallHandler = {
      handle: () => {
        handled++;
        return of(value);
      },
    };
    const body = (await firstValueFrom(cache.intercept(ctx, next))) as string;
    lastHeaders = headers;
    return { body: JSON.parse(body) as unknown, cache: headers['X-Cache'] };
  };

  beforeEach(() => {
    version.snap = String(Number(version.snap ?? 0) + 1);
    handled = 0;
  });

  it('serves the stored JSON until the snapshot moves', async () => {
    expect(await get('/p?a=1')).toEqual({ body: { items: ['/p?a=1'] }, cache: 'miss' });
    expect(await get('/p?a=1')).toEqual({ body: { items: ['/p?a=1'] }, cache: 'hit' });
    expect(handled).toBe(1);
    version.snap = 'moved';
    expect((await get('/p?a=1')).cache).toBe('miss');
  });

  it('a kept answer carries the ETag computed when stored, public and varying on Authorization', async () => {
    await get('/p?e=1');
    const stored = lastHeaders;
    expect(stored.ETag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(stored['Cache-Control']).toBe('public, max-age=0, must-revalidate');
    expect(stored.Vary).toBe('Authorization');
    await get('/p?e=1');
    expect(lastHeaders.ETag).toBe(stored.ETag);
    expect(store.lookup('/p?e=1')?.etag).toBe(stored.ETag);
    await get('/p?e=2', { items: ['other'] });
    expect(lastHeaders.ETag).not.toBe(stored.ETag);
  });

  it('an answer that may not be kept gets no ETag and no public Cache-Control', async () => {
    await get('/p/9', { id: '9', is_active: false }, 'product');
    expect(lastHeaders.ETag).toBeUndefined();
    expect(lastHeaders['Cache-Control']).toBeUndefined();
  });

  it('keeps nothing while the snapshot is null (a catalog write is open)', async () => {
    version.snap = null;
    await get('/p?b=1');
    await get('/p?b=1');
    expect(handled).toBe(2);
  });

  it("keeps a 'public' handler's answer only when the service marked it public", async () => {
    const active = { id: '1', is_active: true };
    await get('/p/1', active, 'product');
    expect((await get('/p/1', active, 'product')).cache).toBe('miss'); // not marked
    await get('/p/2', publicAnswer({ id: '2', is_active: true }), 'product');
    expect((await get('/p/2', { id: '2' }, 'product')).cache).toBe('hit');
    expect(handled).toBe(3);
  });

  it('keeps nothing of a handler that did not declare CatalogCached', async () => {
    await get('/x', publicAnswer({ id: 'x' }), 'notDeclared');
    expect((await get('/x', { id: 'x' }, 'notDeclared')).cache).toBe('miss');
  });

  it('invalidateAll drops every stored answer and moves the catalog version', async () => {
    await get('/p?c=1');
    await get('/p/3', publicAnswer({ id: '3' }), 'product');
    const before = version.snapshot();
    store.invalidateAll();
    expect(version.snapshot()).not.toBe(before); // listing totals are dropped too
    expect(store.lookup('/p?c=1')).toBeUndefined();
    expect((await get('/p?c=1')).cache).toBe('miss');
    expect((await get('/p/3', publicAnswer({ id: '3' }), 'product')).cache).toBe('miss');
    expect((await get('/p?c=1')).cache).toBe('hit'); // and caching goes on afterwards
  });

  it('does not keep an answer read before invalidateAll', async () => {
    const headers: Record<string, string> = {};
    const ctx = {
      switchToHttp: () => ({
        getRequest: () => ({ method: 'GET', originalUrl: '/p?slow=1' }),
        getResponse: () => ({
          setHeader: (k: string, v: string) => (headers[k] = v),
          getHeader: (k: string) => headers[k],
        }),
      }),
      getHandler: () => Handlers.prototype.listing,
    } as unknown as ExecutionContext;
    // the handler's read finishes only after the invalidation
    const next: CallHandler = {
      handle: () => {
        store.invalidateAll();
        return of({ items: ['stale'] });
      },
    };
    await firstValueFrom(cache.intercept(ctx, next));
    expect(store.lookup('/p?slow=1')).toBeUndefined();
  });

  it('holds at most 2,000 answers, dropping the oldest', async () => {
    for (let i = 0; i < 2100; i++) await get(`/p?page=${i}`);
    handled = 0;
    await get('/p?page=2099'); // recent: kept
    expect(handled).toBe(0);
    await get('/p?page=0'); // oldest: dropped
    expect(handled).toBe(1);
  });

  it('holds at most 16 MB of bodies', async () => {
    const big = 'x'.repeat(1024 * 1024); // 1 MB each
    for (let i = 0; i < 20; i++) await get(`/big?i=${i}`, { items: [big] });
    handled = 0;
    await get('/big?i=19', { items: [big] });
    expect(handled).toBe(0);
    await get('/big?i=3', { items: [big] });
    expect(handled).toBe(1);
  });
});
