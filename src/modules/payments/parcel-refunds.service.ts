import { Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';

import type { FulfillmentsMovedEvent } from '../../common/events';
import { FULFILLMENTS_MOVED } from '../../common/events';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { PaymentRefund } from './payment-refund.entity';
import { PaymentRefundsRepository } from './payment-refunds.repository';
import { PaymentRefundsService } from './payment-refunds.service';

// an in-transaction event must fail its transaction when the refund cannot be recorded
const IN_TX = { suppressErrors: false } as const;
const CLOSED = ['cancelled', 'refunded'];
const MAX_BACKOFF_MS = 5 * 60_000;

/** How long after its n-th failed attempt a parcel refund is asked again. */
export const parcelRefundBackoffMs = (attempts: number) =>
  Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));

/** The moves that give a parcel's money back: any cancel, and delivered → refunded. */
export function refundingMoves(e: Pick<FulfillmentsMovedEvent, 'orderStatus' | 'moves'>) {
  // a closed order's payment is refunded whole (less its refunds) by PaymentSettlement
  if (CLOSED.includes(e.orderStatus)) return [];
  return e.moves.filter(
    (m) => m.to === 'cancelled' || (m.from === 'delivered' && m.to === 'refunded'),
  );
}

/**
 * The buyer's money for one parcel of an order that stays open (another seller's parcel goes
 * on): cancelling a paid parcel, or moving a delivered one to `refunded`, refunds that parcel's
 * amount only, as a partial refund whose reference is the fulfillment id.
 * 1. In the moving transaction (FULFILLMENTS_MOVED) the refund is recorded as owed (`pending`),
 *    so neither a crash nor a later whole-order refund can lose or double it.
 * 2. After the commit the moving request asks the provider (`payFresh`).
 * 3. The recovery sweep (`retryOpen`) asks again for a refund that failed (with backoff) or that a
 *    crash left `pending`; the same reference goes to the provider, so it never pays twice. The
 *    order's payment status is booked with the completed row, in one transaction.
 */
@Injectable()
export class ParcelRefunds {
  private readonly logger = new Logger('ParcelRefunds');

  constructor(
    private readonly repo: PaymentRefundsRepository,
    private readonly refunds: PaymentRefundsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnEvent(FULFILLMENTS_MOVED, IN_TX)
  async onMoved(e: FulfillmentsMovedEvent): Promise<void> {
    const moves = refundingMoves(e);
    await this.refunds.oweParcels(
      e.em,
      e.orderId,
      moves.map((m) => ({ fulfillmentId: m.fulfillmentId, total: m.total })),
    );
  }

  /** After the moving commit: asks the provider for the order's parcel refunds just owed. */
  async payFresh(orderId: string): Promise<void> {
    for (const row of await this.repo.freshParcelRefunds(orderId)) await this.pay(row);
  }

  /** The sweep: parcel refunds failed and due again, or left pending by a crash. How many tried. */
  async retryOpen(limit: number, now = new Date()): Promise<number> {
    const stale = new Date(now.getTime() - this.config.payments.timeoutMs - 2000);
    const due = (await this.repo.openParcelRefunds(stale, limit)).filter(
      (r) =>
        r.status !== 'failed' ||
        r.updatedAt.getTime() + parcelRefundBackoffMs(r.attempts) <= now.getTime(),
    );
    for (const row of due) await this.pay(row);
    return due.length;
  }

  private async pay(row: PaymentRefund): Promise<void> {
    try {
      const out = await this.refunds.refund({
        orderId: row.orderId,
        amount: Number(row.amount),
        reference: row.reference,
        fulfillmentId: row.fulfillmentId ?? undefined,
        seen: { status: row.status, attempts: row.attempts },
      });
      if (out.status === 'failed' && out.failureReason !== 'refund changed meanwhile') {
        this.logger.warn(`parcel refund ${row.reference} not made: ${out.failureReason ?? '?'}`);
      }
    } catch (e) {
      this.logger.error(`parcel refund ${row.reference} failed: ${(e as Error).message}`);
    }
  }
}
