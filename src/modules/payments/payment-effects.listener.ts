import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import type { OrderCancelledEvent, OrderStatusChangedEvent } from '../../common/events';
import { ORDER_CANCELLED, ORDER_STATUS_CHANGED } from '../../common/events';
import { ParcelRefunds } from './parcel-refunds.service';
import { PaymentSettlement } from './payment-settlement.service';

/**
 * What order changes do to payments (the orders module awaits these, after its commit):
 * cancelled or refunded → the completed payment is refunded through the provider (pending ones
 * are closed), less what parcel refunds and returns gave back; one parcel cancelled or refunded
 * while the order goes on → that parcel's refund (ParcelRefunds); delivered → a pending
 * cash-on-delivery payment completes.
 * A failure here is logged, never turned into the order request's error: the order change stands.
 */
@Injectable()
export class PaymentEffectsListener {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly settlement: PaymentSettlement,
    private readonly parcels: ParcelRefunds,
  ) {}

  @OnEvent(ORDER_CANCELLED)
  async onCancelled(e: OrderCancelledEvent): Promise<void> {
    await this.guard(e.orderId, () => this.settlement.refundOrderPayment(e.orderId, e.actorId));
  }

  @OnEvent(ORDER_STATUS_CHANGED)
  async onStatusChanged(e: OrderStatusChangedEvent): Promise<void> {
    if (e.fulfillmentStatus === 'cancelled' || e.fulfillmentStatus === 'refunded') {
      // one parcel of an order that stays open: its own refund, owed since the move
      await this.guard(e.orderId, () => this.parcels.payFresh(e.orderId));
    }
    switch (e.orderStatus) {
      case 'cancelled':
      case 'refunded':
        return this.guard(e.orderId, () =>
          this.settlement.refundOrderPayment(e.orderId, e.actorId),
        );
      case 'delivered':
        return this.guard(e.orderId, () =>
          this.settlement.completeCashOnDelivery(e.orderId, e.actorId),
        );
      default:
        return;
    }
  }

  private async guard(orderId: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.logger.error(
        `payment effect for order ${orderId} failed: ${(e as Error).stack ?? String(e)}`,
      );
    }
  }
}
