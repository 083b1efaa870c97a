import {
  CacheSignal,
  LISTENED_MAX_AGE_MS,
  parseCacheNotice,
  SHARED_DB_MAX_AGE_MS,
} from './cache-signal';

describe('parseCacheNotice', () => {
  it('reads the table and the writer the trigger wrote', () => {
    expect(parseCacheNotice('products|bibarys-41-0a1b2c3d')).toEqual({
      table: 'products',
      sender: 'bibarys-41-0a1b2c3d',
    });
    expect(parseCacheNotice('commission_rules|')).toEqual({
      table: 'commission_rules',
      sender: '',
    });
  });

  it('keeps a bar inside the writer name and takes a bare table name', () => {
    expect(parseCacheNotice('users|psql|x')).toEqual({ table: 'users', sender: 'psql|x' });
    expect(parseCacheNotice('sessions')).toEqual({ table: 'sessions', sender: '' });
  });

  it('refuses what no trigger writes', () => {
    for (const p of [undefined, '', '|x', 'Products|x', 'public.products|x', 'a b|x', '{"t":1}']) {
      expect([p, parseCacheNotice(p)]).toEqual([p, null]);
    }
  });
});

describe('CacheSignal', () => {
  it("moves a table's token on another process's commit, not on this process's own", () => {
    const s = new CacheSignal('me');
    const products = s.token('products');
    const users = s.token('users');
    s.notice('products|me');
    expect(s.token('products')).toBe(products);
    s.notice('products|other');
    expect(s.token('products')).not.toBe(products);
    expect(s.token('users')).toBe(users);
  });

  it('without a tag of its own, takes every notice (an untagged writer is not itself)', () => {
    const s = new CacheSignal('');
    const before = s.token('users');
    s.notice('users|');
    expect(s.token('users')).not.toBe(before);
  });

  it('a payload it cannot read drops every table', () => {
    const s = new CacheSignal('me');
    const before = [s.token('products'), s.token('users')];
    s.notice('garbage payload');
    expect(s.token('products')).not.toBe(before[0]);
    expect(s.token('users')).not.toBe(before[1]);
  });

  it('the long maximum age only while listening; (re)listening drops every table once', () => {
    const s = new CacheSignal('me');
    expect(s.maxAgeMs).toBe(SHARED_DB_MAX_AGE_MS);
    const before = s.token('sessions');
    s.setListening(true);
    expect(s.maxAgeMs).toBe(LISTENED_MAX_AGE_MS);
    const listening = s.token('sessions');
    expect(listening).not.toBe(before);
    s.setListening(false);
    expect(s.maxAgeMs).toBe(SHARED_DB_MAX_AGE_MS);
    expect(s.token('sessions')).toBe(listening);
    s.setListening(true);
    expect(s.token('sessions')).not.toBe(listening);
  });

  it("calls a table's watchers on its notices and on a flush", () => {
    const s = new CacheSignal('me');
    const shops = jest.fn();
    s.watch('shops', shops);
    s.notice('products|other');
    s.notice('shops|me');
    expect(shops).not.toHaveBeenCalled();
    s.notice('shops|other');
    expect(shops).toHaveBeenCalledTimes(1);
    s.setListening(true);
    expect(shops).toHaveBeenCalledTimes(2);
  });
});
