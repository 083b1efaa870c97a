import type { ShopAction, ShopStatus } from './shop-workflow';
import {
  canMove,
  maySell,
  moveFor,
  SHOP_STATUSES,
  SHOP_TRANSITIONS,
  statusAfterEdit,
} from './shop-workflow';

const ACTIONS: ShopAction[] = ['submit', 'edit', 'approve', 'reject', 'suspend', 'reinstate'];

describe('shop workflow', () => {
  const allowed: [ShopStatus, ShopAction, ShopStatus][] = [
    ['draft', 'submit', 'pending_review'],
    ['pending_review', 'approve', 'approved'],
    ['pending_review', 'reject', 'rejected'],
    ['approved', 'suspend', 'suspended'],
    ['approved', 'edit', 'pending_review'],
    ['rejected', 'edit', 'draft'],
    ['suspended', 'reinstate', 'approved'],
  ];

  it('allows exactly the contract moves, for every status × action', () => {
    for (const from of SHOP_STATUSES) {
      for (const action of ACTIONS) {
        const want = allowed.find(([f, a]) => f === from && a === action)?.[2] ?? null;
        expect([from, action, moveFor(from, action)?.to ?? null]).toEqual([from, action, want]);
      }
    }
  });

  it('links exactly the contract pairs of statuses', () => {
    for (const from of SHOP_STATUSES) {
      for (const to of SHOP_STATUSES) {
        const want = allowed.some(([f, , t]) => f === from && t === to);
        expect([from, to, canMove(from, to)]).toEqual([from, to, want]);
      }
    }
  });

  it('admins decide, sellers submit and edit; reject and suspend need a reason', () => {
    for (const from of SHOP_STATUSES) {
      for (const [action, move] of Object.entries(SHOP_TRANSITIONS[from])) {
        const admin = ['approve', 'reject', 'suspend', 'reinstate'].includes(action);
        expect([action, move.by]).toEqual([action, admin ? 'admin' : 'seller']);
        expect([action, move.needsReason]).toEqual([
          action,
          ['reject', 'suspend'].includes(action),
        ]);
      }
    }
  });

  it.each([
    ['draft', false, 'draft'],
    ['draft', true, 'draft'],
    ['pending_review', true, 'pending_review'],
    ['approved', false, 'approved'],
    ['approved', true, 'pending_review'],
    ['rejected', false, 'draft'],
    ['rejected', true, 'draft'],
    ['suspended', true, 'suspended'],
  ] as const)('an edit of a %s shop (legal/bank changed: %s) leaves it %s', (from, legal, to) => {
    expect(statusAfterEdit(from, legal)).toBe(to);
  });

  it('selling: suspended never; manual needs an approval once; auto everyone else', () => {
    const facts = (status: ShopStatus, everApproved: boolean) => ({ status, everApproved });
    for (const mode of ['auto', 'manual'] as const) {
      expect(maySell(facts('suspended', true), mode)).toBe(false);
      expect(maySell(facts('approved', true), mode)).toBe(true);
      expect(maySell(facts('pending_review', true), mode)).toBe(true); // sent back by an edit
    }
    for (const s of ['draft', 'pending_review', 'rejected'] as const) {
      expect(maySell(facts(s, false), 'auto')).toBe(true);
      expect(maySell(facts(s, false), 'manual')).toBe(false);
    }
    expect(maySell(null, 'auto')).toBe(true);
    expect(maySell(null, 'manual')).toBe(false);
  });
});
