import type { Actor } from '../../common/auth/actor';
import type { ReturnActor } from './return-workflow';

/** The parties of a return, as stored on it. */
export interface ReturnParties {
  buyerId: string;
  sellerId: string;
}

/** Which returns a list shows an actor: all of them (admin) or those they are a party to. */
export type ReturnScope = { kind: 'all' } | { kind: 'party'; userId: string };

/**
 * The one visibility rule of returns: in which capacities an actor stands to a return. Its buyer
 * and the seller of its fulfillment are parties; an admin sees and decides every return. Empty:
 * the return is not theirs (answered as 404, never 403).
 */
export function capacitiesOf(actor: Actor, r: ReturnParties): ReturnActor[] {
  const as: ReturnActor[] = [];
  if (r.buyerId === actor.id) as.push('buyer');
  if (r.sellerId === actor.id) as.push('seller');
  if (actor.role === 'admin') as.push('admin');
  return as;
}

/** GET /returns: an admin lists all returns; anyone else the returns they are a party to. */
export function scopeOf(actor: Actor): ReturnScope {
  return actor.role === 'admin' ? { kind: 'all' } : { kind: 'party', userId: actor.id };
}
