import type { SellerFilter } from '../seller-visibility';
import { CatalogTotals } from './catalog-totals';
import type { CatalogVersion } from './catalog-version';

describe('CatalogTotals', () => {
  const version = { snapshot: () => '1', maxAgeMs: Infinity } as unknown as CatalogVersion;

  it("reuses a total only while the sellers' filter is the same set (a shop's move makes a new one)", async () => {
    const totals = new CatalogTotals(version);
    let counted = 0;
    const count = async () => ++counted;
    const before: SellerFilter = { kind: 'except', sellerIds: new Set() };
    expect(await totals.of({ category: 'books', sellers: before }, count)).toBe(1);
    expect(await totals.of({ category: 'books', sellers: { ...before } }, count)).toBe(1); // same set
    const after: SellerFilter = { kind: 'except', sellerIds: new Set(['suspended-seller']) };
    expect(await totals.of({ category: 'books', sellers: after }, count)).toBe(2);
    expect(await totals.of({ category: 'books', sellers: after }, count)).toBe(2);
  });
});
