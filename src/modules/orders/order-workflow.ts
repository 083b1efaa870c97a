import type { OrderStatus } from './order.entity';

export type WorkflowActor = 'seller' | 'admin';

/**
 * The fulfillment state machine: every allowed move and who may make it through
 * `PUT /orders/{id}/status`. Anything not listed → 409. (The customer's own cancel is
 * `PUT /orders/{id}/cancel`, allowed while every fulfillment is pending or confirmed; a completed
 * payment moves pending → confirmed through the payments module.)
 */
export const TRANSITIONS: Readonly<
  Record<OrderStatus, Partial<Record<OrderStatus, readonly WorkflowActor[]>>>
> = {
  pending: { confirmed: ['seller', 'admin'], cancelled: ['seller', 'admin'] },
  confirmed: { processing: ['seller', 'admin'], cancelled: ['seller', 'admin'] },
  processing: { shipped: ['seller', 'admin'], cancelled: ['seller', 'admin'] },
  shipped: { delivered: ['seller', 'admin'] },
  delivered: { refunded: ['seller', 'admin'] },
  cancelled: {},
  refunded: {},
};

/** Statuses in which the customer may still cancel the whole order. */
export const CUSTOMER_CANCELLABLE: readonly OrderStatus[] = ['pending', 'confirmed'];

/** Orders that can take no new payment and should hold none (a completed one is refunded). */
export const CLOSED_ORDER_STATUSES: readonly OrderStatus[] = ['cancelled', 'refunded'];

export function canMove(from: OrderStatus, to: OrderStatus, who: WorkflowActor): boolean {
  return TRANSITIONS[from]?.[to]?.includes(who) ?? false;
}

/** How far along a fulfillment is (cancelled sits outside the line). */
const RANK: Record<OrderStatus, number> = {
  pending: 0,
  confirmed: 1,
  processing: 2,
  shipped: 3,
  delivered: 4,
  refunded: 5,
  cancelled: 99,
};

/** The order's status: the least advanced of its non-cancelled fulfillments; cancelled when all are. */
export function deriveOrderStatus(statuses: readonly OrderStatus[]): OrderStatus {
  const live = statuses.filter((s) => s !== 'cancelled');
  if (!live.length) return 'cancelled';
  return live.reduce((a, b) => (RANK[b] < RANK[a] ? b : a));
}
