import { CallHandler, ExecutionContext } from '@nestjs/common';
import { firstValueFrom, of } from 'rxjs';
import { CatalogCacheInterceptor, CatalogResponseCache } from './catalog-cache.interceptor';
import { CatalogVersion } from './catalog-version';

/** A catalog version under the test's control. */
class FakeVersion {
  snap: string | null = '1';
  maxAgeMs = Infinity;
  snapshot() {
    return this.snap;
  }
}

describe('CatalogCacheInterceptor', () => {
  const version = new FakeVersion();
  const cache = new CatalogCacheInterceptor(
    new CatalogResponseCache(version as unknown as CatalogVersion),
  );
  let handled = 0;

  const get = async (url: string, value: unknown = { items: [url] }) => {
    const headers: Record<string, string> = {};
    const ctx = {
      switchToHttp: () => ({
        getRequest: () => ({ method: 'GET', originalUrl: url }),
        getResponse: () => ({ setHeader: (k: string, v: string) => (headers[k] = v) }),
      }),
    } as unknown as ExecutionContext;
    const next: CallHandler = {
      handle: () => {
        handled++;
        return of(value);
      },
    };
    const body = (await firstValueFrom(cache.intercept(ctx, next))) as string;
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

  it('keeps nothing while the snapshot is null (a catalog write is open)', async () => {
    version.snap = null;
    await get('/p?b=1');
    await get('/p?b=1');
    expect(handled).toBe(2);
  });

  it('never keeps an inactive product', async () => {
    await get('/p/1', { id: '1', is_active: false });
    expect((await get('/p/1', { id: '1', is_active: false })).cache).toBe('miss');
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
