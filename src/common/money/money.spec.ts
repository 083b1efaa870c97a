import { formatKzt, hasAtMostTwoDecimals, toKzt, toTiyn } from './money';

describe('money', () => {
  it('converts tenge to tiyn exactly and back without float artefacts', () => {
    expect(toTiyn(0.1) + toTiyn(0.2)).toBe(30);
    expect(toKzt(toTiyn(0.1) + toTiyn(0.2))).toBe(0.3);
    expect(JSON.stringify(toKzt(1999999999))).toBe('19999999.99');
  });
  it('refuses more than two decimals', () => {
    expect(() => toTiyn(1.005)).toThrow(RangeError);
    expect(hasAtMostTwoDecimals(12.34)).toBe(true);
    expect(hasAtMostTwoDecimals(12.345)).toBe(false);
    expect(hasAtMostTwoDecimals(Number.NaN)).toBe(false);
  });
  it('formats for people', () => {
    expect(formatKzt(123450)).toBe('1\u00a0234,50 ₸');
    expect(formatKzt(150000)).toBe('1\u00a0500 ₸');
  });
});
