import type { OrderStatus } from './order.entity';
import { ORDER_STATUSES } from './order.entity';
import { canMove, deriveOrderStatus, TRANSITIONS } from './order-workflow';

describe('order workflow', () => {
  const allowed: [OrderStatus, OrderStatus][] = [
    ['pending', 'confirmed'],
    ['confirmed', 'processing'],
    ['processing', 'shipped'],
    ['shipped', 'delivered'],
    ['delivered', 'refunded'],
    ['pending', 'cancelled'],
    ['confirmed', 'cancelled'],
    ['processing', 'cancelled'],
  ];

  it('allows exactly the contract moves, for sellers and admins', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect([from, to, canMove(from, to, 'seller')]).toEqual([from, to, expected]);
        expect([from, to, canMove(from, to, 'admin')]).toEqual([from, to, expected]);
      }
    }
  });

  it('final states have no way out', () => {
    expect(TRANSITIONS.cancelled).toEqual({});
    expect(TRANSITIONS.refunded).toEqual({});
  });

  it('derives the order status from the least advanced live fulfillment', () => {
    expect(deriveOrderStatus(['pending'])).toBe('pending');
    expect(deriveOrderStatus(['shipped', 'confirmed', 'delivered'])).toBe('confirmed');
    expect(deriveOrderStatus(['cancelled', 'shipped'])).toBe('shipped');
    expect(deriveOrderStatus(['delivered', 'refunded'])).toBe('delivered');
    expect(deriveOrderStatus(['cancelled', 'cancelled'])).toBe('cancelled');
    expect(deriveOrderStatus([])).toBe('cancelled');
  });
});
