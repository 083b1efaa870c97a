import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import type { FulfillmentsMovedEvent, OrderPaymentAppliedEvent } from '../../common/events';
import { FULFILLMENTS_MOVED, ORDER_PAYMENT_APPLIED } from '../../common/events';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import type { LedgerParcel } from '../orders/order-money.service';
import { OrderMoneyService } from '../orders/order-money.service';
import { SellerLedgerEntry } from './finance.entities';
import { LedgerRepository } from './ledger.repository';
import { commissionReversal, parcelRefund } from './money-rules';
import { LedgerEntryInput, SellerLedgerService } from './seller-ledger.service';

/** A refunded return, as the returns module books it (money in tiyn). */
export interface ReturnRefundInput {
  sellerId: string;
  orderId: string;
  fulfillmentId: string;
  returnId: string;
  /** > 0: what the buyer got back for the seller's lines and, when refunded, the delivery. */
  amount: number;
  /** The delivery-cost part of `amount` (0 when the delivery was not refunded). */
  delivery: number;
  /**
   * The returned lines: `quantity` units now, `returnedBefore` units of the same line refunded
   * by earlier returns (0 for the first) — the commission reversal is pro rata of the line's
   * frozen commission over the cumulative quantity, so every unit back reverses it exactly.
   */
  lines: { orderItemId: string; quantity: number; returnedBefore?: number }[];
}

/**
 * An order's payment statuses that hold captured money: `partially_refunded` too — another
 * parcel's refund or a return gave part of it back, this parcel is still paid.
 */
const CAPTURED: readonly string[] = ['completed', 'partially_refunded'];

// the in-transaction events must fail their transaction when booking fails: never lost
const IN_TX = { suppressErrors: false } as const;

/**
 * The seller ledger's hooks into the order flow, each written in the transaction of its cause
 * and at most once (unique indexes; a second writer skips):
 * - `sale` (+ items_total + delivery_cost) and `commission` (− Σ the lines' frozen commission) of
 *   a parcel once it is delivered AND its order's payment completed, whichever comes second:
 *   the workflow's move to `delivered` (FULFILLMENTS_MOVED) or the payment (ORDER_PAYMENT_APPLIED,
 *   e.g. cash on delivery, which completes after the delivery). Both events are emitted after
 *   their transaction updated the order row, so on PostgreSQL the second of two racing causes
 *   waits for the first and then reads its commit: the sale is never missed, and never doubled.
 *   `available_at` = the delivery + PAYOUT_HOLD.
 * - `refund` and `commission_reversal` of a delivered parcel moved to `refunded`: what its sale and
 *   commission still hold after any returns.
 * - `recordReturnRefund`, called by the returns module when a return is refunded.
 */
@Injectable()
export class MoneyHooks {
  constructor(
    private readonly ledger: SellerLedgerService,
    private readonly entries: LedgerRepository,
    private readonly orders: OrderMoneyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnEvent(FULFILLMENTS_MOVED, IN_TX)
  async onMoved(e: FulfillmentsMovedEvent): Promise<void> {
    const delivered = e.moves.filter((m) => m.to === 'delivered').map((m) => m.fulfillmentId);
    const refunded = e.moves
      .filter((m) => m.from === 'delivered' && m.to === 'refunded')
      .map((m) => m.fulfillmentId);
    if (!delivered.length && !refunded.length) return;
    const parcels = await this.orders.parcelsOf(e.em, e.orderId, [...delivered, ...refunded]);
    const sold = parcels.filter((p) => delivered.includes(p.fulfillmentId));
    await this.bookSales(e.em, sold);
    for (const p of parcels.filter((x) => refunded.includes(x.fulfillmentId))) {
      await this.bookParcelRefund(e.em, p);
    }
  }

  @OnEvent(ORDER_PAYMENT_APPLIED, IN_TX)
  async onPayment(e: OrderPaymentAppliedEvent): Promise<void> {
    if (e.paymentStatus !== 'completed') return;
    const parcels = await this.orders.parcelsOf(e.em, e.orderId);
    await this.bookSales(
      e.em,
      parcels.filter((p) => p.status === 'delivered'),
    );
  }

  /** The sale and commission of delivered parcels whose order's payment is completed. */
  private async bookSales(tx: Tx, parcels: LedgerParcel[]): Promise<SellerLedgerEntry[]> {
    const holdMs = this.config.finance.payoutHoldSeconds * 1000;
    const entries = parcels
      .filter((p) => p.status === 'delivered' && CAPTURED.includes(p.paymentStatus ?? ''))
      .flatMap((p): LedgerEntryInput[] => {
        const ref = { sellerId: p.sellerId, orderId: p.orderId, fulfillmentId: p.fulfillmentId };
        const availableAt = new Date(p.movedAt.getTime() + holdMs);
        const sale = p.itemsTotal + p.deliveryCost;
        return [
          ...(sale ? [{ ...ref, type: 'sale' as const, amount: sale, availableAt }] : []),
          ...(p.commission
            ? [{ ...ref, type: 'commission' as const, amount: -p.commission, availableAt }]
            : []),
        ];
      });
    return this.ledger.recordOnce(tx, entries);
  }

  /** A delivered parcel moved to `refunded`: what its sale and commission still hold goes back. */
  private async bookParcelRefund(tx: Tx, p: LedgerParcel): Promise<void> {
    const { refund, reversal } = parcelRefund(
      await this.entries.sumsOfFulfillment(tx, p.fulfillmentId),
    );
    const ref = { sellerId: p.sellerId, orderId: p.orderId, fulfillmentId: p.fulfillmentId };
    await this.ledger.recordOnce(tx, [
      ...(refund ? [{ ...ref, type: 'refund' as const, amount: -refund }] : []),
      ...(reversal ? [{ ...ref, type: 'commission_reversal' as const, amount: reversal }] : []),
    ]);
  }

  /**
   * Books a refunded return inside the caller's transaction: `refund` (− amount) and
   * `commission_reversal` (+ the frozen commission of the returned units, see `commissionReversal`),
   * both available at once, with the return, order and fulfillment ids. Once per return: a second
   * call writes nothing (a unique index on (return_id, type)). Answers the entries written.
   */
  async recordReturnRefund(tx: Tx, r: ReturnRefundInput): Promise<SellerLedgerEntry[]> {
    const lines = new Map(
      (
        await this.orders.lineCommissions(
          tx,
          r.lines.map((l) => l.orderItemId),
        )
      ).map((l) => [l.orderItemId, l]),
    );
    let reversal = 0;
    for (const l of r.lines) {
      const line = lines.get(l.orderItemId);
      if (!line || line.sellerId !== r.sellerId) {
        throw new Error(`order line ${l.orderItemId} is not the seller's ${r.sellerId}`);
      }
      reversal += commissionReversal(line, l.returnedBefore ?? 0, l.quantity);
    }
    const ref = {
      sellerId: r.sellerId,
      orderId: r.orderId,
      fulfillmentId: r.fulfillmentId,
      returnId: r.returnId,
    };
    return this.ledger.recordOnce(tx, [
      ...(r.amount ? [{ ...ref, type: 'refund' as const, amount: -r.amount }] : []),
      ...(reversal ? [{ ...ref, type: 'commission_reversal' as const, amount: reversal }] : []),
    ]);
  }
}
