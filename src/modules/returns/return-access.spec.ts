import { capacitiesOf, scopeOf } from './return-access';
import { actor, ADMIN, BUYER, SELLER, STRANGER } from './testing/returns-test-kit';

describe('return visibility', () => {
  const ret = { buyerId: BUYER.id, sellerId: SELLER.id };

  it('its buyer, the seller of its fulfillment and admins are its parties; anyone else none', () => {
    expect(capacitiesOf(BUYER, ret)).toEqual(['buyer']);
    expect(capacitiesOf(SELLER, ret)).toEqual(['seller']);
    expect(capacitiesOf(ADMIN, ret)).toEqual(['admin']);
    expect(capacitiesOf(STRANGER, ret)).toEqual([]);
    expect(capacitiesOf(actor('seller2', 'seller'), ret)).toEqual([]);
  });

  it('an admin who bought it stands as buyer and admin; a seller buying elsewhere as buyer', () => {
    expect(capacitiesOf(ADMIN, { ...ret, buyerId: ADMIN.id })).toEqual(['buyer', 'admin']);
    const sellerBuying = actor('seller3', 'seller');
    expect(capacitiesOf(sellerBuying, { ...ret, buyerId: sellerBuying.id })).toEqual(['buyer']);
  });

  it('lists: admins all, everyone else what they are a party to', () => {
    expect(scopeOf(ADMIN)).toEqual({ kind: 'all' });
    expect(scopeOf(SELLER)).toEqual({ kind: 'party', userId: SELLER.id });
    expect(scopeOf(BUYER)).toEqual({ kind: 'party', userId: BUYER.id });
  });
});
