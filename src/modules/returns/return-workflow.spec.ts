import type { ReturnActor, ReturnStatus } from './return-workflow';
import { canMoveReturn, RETURN_STATUSES, RETURN_TRANSITIONS } from './return-workflow';

describe('return workflow', () => {
  const allowed: [ReturnStatus, ReturnStatus, ReturnActor[]][] = [
    ['requested', 'approved', ['seller', 'admin']],
    ['requested', 'rejected', ['seller', 'admin']],
    ['requested', 'cancelled', ['buyer']],
    ['requested', 'escalated', ['system']],
    ['escalated', 'approved', ['admin']],
    ['escalated', 'rejected', ['admin']],
    ['approved', 'received', ['seller', 'admin']],
    ['received', 'refunded', ['system', 'admin']],
  ];
  const actors: ReturnActor[] = ['buyer', 'seller', 'admin', 'system'];

  it('allows exactly the contract moves, each to exactly its actors', () => {
    for (const from of RETURN_STATUSES) {
      for (const to of RETURN_STATUSES) {
        const rule = allowed.find(([f, t]) => f === from && t === to);
        for (const who of actors) {
          const expected = !!rule && rule[2].includes(who);
          expect([from, to, who, canMoveReturn(from, to, who)]).toEqual([from, to, who, expected]);
        }
      }
    }
  });

  it('final states have no way out', () => {
    for (const s of ['rejected', 'cancelled', 'refunded'] as const) {
      expect(RETURN_TRANSITIONS[s]).toEqual({});
    }
  });

  it('a seller cannot decide an escalated return; the buyer cannot cancel after a decision', () => {
    expect(canMoveReturn('escalated', 'approved', 'seller')).toBe(false);
    expect(canMoveReturn('approved', 'cancelled', 'buyer')).toBe(false);
  });
});
