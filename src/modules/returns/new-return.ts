import { randomUUID } from 'node:crypto';

import type { CreateReturnDto } from './dto/return.dto';
import type { ReturnableFulfillment, ReturnableOrder } from './ports/returnable-orders';
import type { LoadedReturn } from './returns.repository';

/**
 * The rows of a new `requested` return of lines of `f` (the lines are known to be on it), with
 * its refund estimate in tiyn, made by `buyerId` at `now`.
 */
export function newReturn(
  order: ReturnableOrder,
  f: ReturnableFulfillment,
  lines: CreateReturnDto['items'],
  amount: { total: number; delivery: number },
  buyerId: string,
  now: Date,
): LoadedReturn {
  const id = randomUUID();
  const onOrder = new Map(f.lines.map((l) => [l.orderItemId, l]));
  return {
    ret: {
      id,
      orderId: order.orderId,
      fulfillmentId: f.fulfillmentId,
      sellerId: f.sellerId,
      buyerId,
      orderRef: order.orderRef,
      status: 'requested',
      refundAmount: amount.total,
      refundDelivery: amount.delivery,
      refundStatus: null,
      refundAttempts: 0,
      refundClaimedAt: null,
      nextRefundAt: null,
      refundFailure: null,
      decidedBy: null,
      decisionNote: null,
      escalatedAt: null,
      createdAt: now,
      updatedAt: now,
    },
    items: lines.map((l, position) => {
      const bought = onOrder.get(l.order_item_id)!;
      return {
        id: randomUUID(),
        returnId: id,
        position,
        orderItemId: l.order_item_id,
        productId: bought.productId,
        productName: bought.productName,
        price: bought.price,
        quantity: l.quantity,
        reason: l.reason,
        comment: l.comment || null,
      };
    }),
    history: [
      {
        id: randomUUID(),
        returnId: id,
        status: 'requested',
        changedBy: buyerId,
        note: null,
        at: now,
      },
    ],
  };
}
