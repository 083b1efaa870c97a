import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { OrderStatus } from './order.entity';
import type { WorkflowActor } from './order-workflow';

/** What an actor may see of an order: the whole of it, a seller's part, or nothing. */
export type OrderView = { kind: 'whole' } | { kind: 'seller'; sellerId: string };

interface OwnedOrder {
  userId: string;
}
interface Parcel {
  sellerId: string;
  status: OrderStatus;
}

/**
 * Who may see and touch an order — the one place of the "404 unless yours" rules:
 * - the customer who placed it: all of it (read, cancel, pay);
 * - an admin: all of it (read, its payments, any move);
 * - a seller with a fulfillment in it: only their lines and fulfillment (read, move it);
 * - anyone else: nothing, answered as 404 so the order's existence is not revealed.
 */
export function viewOf(
  actor: Actor,
  order: OwnedOrder,
  parcels: readonly Parcel[],
): OrderView | null {
  if (actor.role === 'admin' || order.userId === actor.id) return { kind: 'whole' };
  if (parcels.some((f) => f.sellerId === actor.id)) return { kind: 'seller', sellerId: actor.id };
  return null;
}

/** The customer's own order (cancel, pay). */
export const isOwner = (actor: Actor, order: OwnedOrder): boolean => order.userId === actor.id;

/** The owner or an admin (an order's payments). */
export const isOwnerOrAdmin = (actor: Actor, order: OwnedOrder): boolean =>
  actor.role === 'admin' || isOwner(actor, order);

/** The order if the rule admits the actor; else 404. */
export function orNotFound<T>(order: T | null, admitted: (o: T) => boolean): T {
  if (!order || !admitted(order)) throw notFound('Order');
  return order;
}

/** How a workflow move is made: by whom, and on which seller's fulfillment (none: all live ones). */
export interface WorkflowScope {
  who: WorkflowActor;
  sellerId?: string;
}

/** PUT /orders/{id}/status: a seller moves their own fulfillment; an admin all, or `seller_id`'s. */
export function workflowScope(actor: Actor, requestedSellerId?: string): WorkflowScope {
  if (actor.role === 'admin') return { who: 'admin', sellerId: requestedSellerId };
  if (requestedSellerId && requestedSellerId !== actor.id) {
    throw new DomainError('BAD_REQUEST', 'seller_id may only be given by an admin');
  }
  return { who: 'seller', sellerId: actor.id };
}

/**
 * The fulfillments a move applies to: the named seller's (404 when the order has none of theirs,
 * so a seller learns nothing of others' orders), else every live one (409 when none is left).
 */
export function moveTargets<F extends Parcel>(scope: WorkflowScope, parcels: readonly F[]): F[] {
  if (scope.sellerId) {
    const own = parcels.filter((f) => f.sellerId === scope.sellerId);
    if (!own.length) throw notFound('Order');
    return own;
  }
  const live = parcels.filter((f) => f.status !== 'cancelled');
  if (!live.length) {
    throw new DomainError('INVALID_TRANSITION', 'Every fulfillment of this order is cancelled');
  }
  return live;
}
