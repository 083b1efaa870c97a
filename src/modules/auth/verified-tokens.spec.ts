import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const at = (s: number) => () => s * 1000;

  it('answers a kept payload until the second it expires', () => {
    let now = 1000;
    const v = new VerifiedTokens<{ sub: string; exp: number }>(10, () => now * 1000);
    v.set('t', { sub: 'u', exp: 1010 });
    expect(v.get('t')).toEqual({ sub: 'u', exp: 1010 });
    now = 1009.999;
    expect(v.get('t')).toBeDefined();
    now = 1010; // jsonwebtoken: expired when now >= exp
    expect(v.get('t')).toBeUndefined();
    now = 1000;
    expect(v.get('t')).toBeUndefined(); // dropped, not only hidden
    expect(v.size).toBe(0);
  });

  it('does not answer a token before its nbf', () => {
    const v = new VerifiedTokens<{ exp: number; nbf: number }>(10, at(100));
    v.set('t', { exp: 200, nbf: 101 });
    expect(v.get('t')).toBeUndefined();
    const later = new VerifiedTokens<{ exp: number; nbf: number }>(10, at(101));
    later.set('t', { exp: 200, nbf: 101 });
    expect(later.get('t')).toBeDefined();
  });

  it('keeps nothing without exp, and only the exact text', () => {
    const v = new VerifiedTokens<{ exp?: number }>(10, at(100));
    v.set('forever', {});
    expect(v.get('forever')).toBeUndefined();
    v.set('abc', { exp: 200 });
    expect(v.get('abc ')).toBeUndefined();
    expect(v.get('ABC')).toBeUndefined();
  });

  it('drops the oldest beyond its size', () => {
    const v = new VerifiedTokens<{ exp: number }>(2, at(100));
    v.set('a', { exp: 200 });
    v.set('b', { exp: 200 });
    v.set('c', { exp: 200 });
    expect([v.get('a'), v.get('b'), v.get('c')].map(Boolean)).toEqual([false, true, true]);
    expect(v.size).toBe(2);
  });
});
