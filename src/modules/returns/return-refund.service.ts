import { Injectable, Logger } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import type { ReturnResponse } from './dto/return.response';
import { ReturnLedger } from './ports/return-ledger';
import type { ReturnRefundOutcome } from './ports/return-refunds';
import { ReturnRefunds } from './ports/return-refunds';
import { ReturnStock } from './ports/return-stock';
import { ReturnableOrders } from './ports/returnable-orders';
import type { ProductReturn, ReturnItem } from './return.entity';
import { refundAmount, returnableLines } from './return-rules';
import { ReturnSteps } from './return-steps';
import { ReturnsRepository } from './returns.repository';

const MAX_BACKOFF_MS = 5 * 60_000;

/** How long after its n-th failed attempt a refund is tried again. */
export const refundBackoffMs = (attempts: number) =>
  Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));

/**
 * Receiving a return and giving its money back, never twice.
 *
 * The refund is claimed in the database before the provider is asked: the move
 * `approved → received` (or a sweep's re-claim) sets `refund_status = pending` and bumps
 * `refund_attempts`, a conditional update only one caller wins. The provider is then called
 * outside any transaction with the return's id as the idempotency key, and only the holder of the
 * latest claim (`refund_attempts` unchanged) may book the outcome: `refunded` with the ledger
 * entries and the order's payment status in one transaction, or `failed` with a retry time, or
 * `manual` for an admin to pay. A crash between claim and booking leaves a stale `pending` claim,
 * which the recovery sweep takes over; the provider, asked again with the same reference, does not
 * pay again.
 */
@Injectable()
export class ReturnRefundService {
  private readonly logger = new Logger('ReturnRefunds');

  constructor(
    private readonly repo: ReturnsRepository,
    private readonly steps: ReturnSteps,
    private readonly orders: ReturnableOrders,
    private readonly stock: ReturnStock,
    private readonly refunds: ReturnRefunds,
    private readonly ledger: ReturnLedger,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * PUT /returns/{id}/receive (the seller or an admin, while approved): the goods go back to stock,
   * the refund amount is fixed and claimed, then the refund is made.
   */
  async receive(actor: Actor, id: string): Promise<ReturnResponse> {
    const claimed = await this.uow.run(async (tx) => {
      const { ret, as } = await this.steps.visible(actor, id, tx);
      const items = await this.repo.itemsOf(ret.id, tx);
      const amount = await this.finalAmount(tx, ret, items);
      const moved = await this.steps.move(tx, ret, 'received', as, actor.id, {
        change: {
          refundAmount: amount.total,
          refundDelivery: amount.delivery,
          refundStatus: 'pending',
          refundAttempts: ret.refundAttempts + 1,
          refundClaimedAt: this.steps.now(),
          nextRefundAt: null,
          refundFailure: null,
        },
      });
      await this.stock.restock(tx, {
        orderId: ret.orderId,
        returnId: ret.id,
        actorId: actor.id,
        lines: items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
      });
      await this.steps.mail(tx, ret.buyerId, 'received', moved);
      return { ret: moved, items };
    });
    this.steps.kick();
    // the claim taken over meanwhile (a sweep): answer what the row holds now
    const ret =
      (await this.pay(claimed.ret, claimed.items)) ?? (await this.repo.findById(id)) ?? claimed.ret;
    return this.steps.respond(ret);
  }

  /** PUT /returns/{id}/refund-paid (admin): a manual refund was paid out of band. */
  async markPaid(actor: Actor, id: string): Promise<ReturnResponse> {
    const ret = await this.uow.run(async (tx) => {
      const { ret, as } = await this.steps.visible(actor, id, tx);
      if (ret.status === 'received' && ret.refundStatus !== 'manual') {
        throw new DomainError(
          'INVALID_TRANSITION',
          `Only a manual refund is marked paid (this one is ${ret.refundStatus})`,
        );
      }
      const moved = await this.steps.move(tx, ret, 'refunded', as, actor.id, {
        note: 'refund paid out of band',
        refund: { status: 'manual', attempts: ret.refundAttempts },
        change: { refundStatus: 'completed' },
      });
      await this.book(tx, moved, await this.repo.itemsOf(ret.id, tx));
      return moved;
    });
    this.steps.kick();
    return this.steps.respond(ret);
  }

  /**
   * The recovery sweep's retry of an unfinished refund (`failed` and due, or a stale `pending`
   * claim): re-claims it, then pays as receive does. Does nothing when another process got there
   * first.
   */
  async retry(ret: ProductReturn): Promise<void> {
    if (
      ret.status !== 'received' ||
      (ret.refundStatus !== 'failed' && ret.refundStatus !== 'pending')
    ) {
      return;
    }
    const now = this.steps.now();
    const claim = {
      refundStatus: 'pending' as const,
      refundAttempts: ret.refundAttempts + 1,
      refundClaimedAt: now,
      updatedAt: now,
    };
    const claimed = await this.uow.run((tx) =>
      this.repo.updateIf(
        tx,
        ret.id,
        { status: 'received', refundStatus: ret.refundStatus, refundAttempts: ret.refundAttempts },
        claim,
      ),
    );
    if (!claimed) return;
    await this.pay({ ...ret, ...claim }, await this.repo.itemsOf(ret.id));
  }

  /**
   * Asks the provider for the claimed refund (outside any transaction) and books the outcome if
   * the claim still holds. Returns the row as booked, or null when the claim was taken over.
   */
  private async pay(ret: ProductReturn, items: ReturnItem[]): Promise<ProductReturn | null> {
    let outcome: ReturnRefundOutcome;
    try {
      outcome = await this.refunds.refund({
        orderId: ret.orderId,
        amount: ret.refundAmount,
        reference: ret.id,
        fulfillmentId: ret.fulfillmentId,
      });
    } catch (e) {
      outcome = { status: 'failed', failureReason: String((e as Error).message) };
    }
    const claim = { status: 'pending' as const, attempts: ret.refundAttempts };
    const booked = await this.uow.run(async (tx) => {
      if (outcome.status === 'completed') {
        const moved = await this.steps.tryMove(tx, ret, 'refunded', null, {
          refund: claim,
          change: { refundStatus: 'completed', refundFailure: null },
        });
        if (moved) await this.book(tx, moved, items);
        return moved;
      }
      const now = this.steps.now();
      const change =
        outcome.status === 'manual'
          ? { refundStatus: 'manual' as const, refundFailure: null, updatedAt: now }
          : {
              refundStatus: 'failed' as const,
              refundFailure: (outcome.failureReason ?? 'refund failed').slice(0, 200),
              nextRefundAt: new Date(now.getTime() + refundBackoffMs(ret.refundAttempts)),
              updatedAt: now,
            };
      const expect = {
        status: 'received' as const,
        refundStatus: claim.status,
        refundAttempts: claim.attempts,
      };
      if (!(await this.repo.updateIf(tx, ret.id, expect, change))) return null;
      const updated = { ...ret, ...change };
      if (outcome.status === 'manual')
        await this.steps.mail(tx, ret.buyerId, 'refund_manual', updated);
      return updated;
    });
    if (outcome.status === 'failed') {
      this.logger.warn(
        `refund of return ${ret.id} failed (attempt ${ret.refundAttempts}): ${outcome.failureReason}`,
      );
    }
    this.steps.kick();
    return booked;
  }

  /** The bookkeeping of a paid refund, in the transaction of its move to refunded. */
  private async book(tx: Tx, ret: ProductReturn, items: ReturnItem[]): Promise<void> {
    const before = await this.repo.heldQuantities(tx, ret.fulfillmentId, ['refunded'], ret.id);
    await this.ledger.recordRefund(tx, {
      sellerId: ret.sellerId,
      orderId: ret.orderId,
      fulfillmentId: ret.fulfillmentId,
      returnId: ret.id,
      amount: ret.refundAmount,
      delivery: ret.refundDelivery,
      lines: items.map((i) => ({
        orderItemId: i.orderItemId,
        quantity: i.quantity,
        returnedBefore: before.get(i.orderItemId) ?? 0,
      })),
    });
    await this.refunds.markRefunded(tx, {
      orderId: ret.orderId,
      amount: ret.refundAmount,
      reference: ret.id,
    });
    await this.steps.mail(tx, ret.buyerId, 'refunded', ret);
  }

  /**
   * The refund, fixed at receipt: the lines' prices, plus the delivery cost when with this return
   * every line of the fulfillment has come back in full (counting returns already received).
   */
  private async finalAmount(tx: Tx, ret: ProductReturn, items: ReturnItem[]) {
    const order = await this.orders.orderOf(tx, ret.orderId, ret.buyerId);
    const f = order?.fulfillments.find((x) => x.fulfillmentId === ret.fulfillmentId);
    if (!f) return { total: ret.refundAmount, delivery: ret.refundDelivery };
    const back = await this.repo.heldQuantities(
      tx,
      f.fulfillmentId,
      ['received', 'refunded'],
      ret.id,
    );
    return refundAmount(returnableLines(f, back), items, f.deliveryCost);
  }
}
