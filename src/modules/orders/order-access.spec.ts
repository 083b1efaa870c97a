import { codeOf, testActor as actor } from '../../testing/unit-helpers';
import type { OrderStatus } from './order.entity';
import {
  isOwner,
  isOwnerOrAdmin,
  moveTargets,
  orNotFound,
  viewOf,
  workflowScope,
} from './order-access';

const buyer = actor('buyer', 'customer');
const stranger = actor('stranger', 'customer');
const sellerA = actor('sA', 'seller');
const sellerC = actor('sC', 'seller');
const admin = actor('admin', 'admin');
const order = { userId: 'buyer' };
const parcel = (sellerId: string, status: OrderStatus = 'pending') => ({ sellerId, status });
const parcels = [parcel('sA'), parcel('sB', 'cancelled')];

describe('order access', () => {
  it('owner and admin see the whole order, a seller with a parcel their part, anyone else nothing', () => {
    expect(viewOf(buyer, order, parcels)).toEqual({ kind: 'whole' });
    expect(viewOf(admin, order, parcels)).toEqual({ kind: 'whole' });
    expect(viewOf(sellerA, order, parcels)).toEqual({ kind: 'seller', sellerId: 'sA' });
    expect(viewOf(sellerC, order, parcels)).toBeNull();
    expect(viewOf(stranger, order, parcels)).toBeNull();
  });

  it('a seller who bought the order sees it whole, as its owner', () => {
    expect(viewOf(sellerA, { userId: 'sA' }, parcels)).toEqual({ kind: 'whole' });
  });

  it('only the owner may cancel or pay; owner or admin see the payments', () => {
    expect([buyer, admin, sellerA, stranger].map((a) => isOwner(a, order))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect([buyer, admin, sellerA, stranger].map((a) => isOwnerOrAdmin(a, order))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('orNotFound: 404 for a missing order and for one the rule does not admit', async () => {
    expect(await codeOf(() => orNotFound(null, () => true))).toBe('NOT_FOUND');
    expect(await codeOf(() => orNotFound(order, (o) => isOwner(stranger, o)))).toBe('NOT_FOUND');
    expect(orNotFound(order, (o) => isOwner(buyer, o))).toBe(order);
  });

  describe('workflow scope', () => {
    it('a seller moves their own parcel; naming another seller is a 400', async () => {
      expect(workflowScope(sellerA)).toEqual({ who: 'seller', sellerId: 'sA' });
      expect(workflowScope(sellerA, 'sA')).toEqual({ who: 'seller', sellerId: 'sA' });
      expect(await codeOf(() => workflowScope(sellerA, 'sB'))).toBe('BAD_REQUEST');
    });

    it('an admin moves all parcels, or the one named', () => {
      expect(workflowScope(admin)).toEqual({ who: 'admin', sellerId: undefined });
      expect(workflowScope(admin, 'sB')).toEqual({ who: 'admin', sellerId: 'sB' });
    });

    it("targets the named seller's parcel (cancelled too: the workflow refuses it), else 404", async () => {
      expect(moveTargets({ who: 'seller', sellerId: 'sA' }, parcels)).toEqual([parcel('sA')]);
      expect(moveTargets({ who: 'admin', sellerId: 'sB' }, parcels)).toEqual([
        parcel('sB', 'cancelled'),
      ]);
      expect(await codeOf(() => moveTargets({ who: 'seller', sellerId: 'sC' }, parcels))).toBe(
        'NOT_FOUND',
      );
    });

    it('without a seller, every live parcel; none left → 409', async () => {
      expect(moveTargets({ who: 'admin' }, parcels)).toEqual([parcel('sA')]);
      expect(await codeOf(() => moveTargets({ who: 'admin' }, [parcel('sA', 'cancelled')]))).toBe(
        'INVALID_TRANSITION',
      );
    });
  });
});
