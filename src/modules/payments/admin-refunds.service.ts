import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import { UnitOfWork } from '../../database/unit-of-work';
import type { AdminRefundQuery } from './dto/refund.dto';
import { ManualReturnRefunds } from './manual-return-refunds';
import type { PaymentRefund } from './payment-refund.entity';
import { PaymentRefundsRepository } from './payment-refunds.repository';
import { PaymentRefundsService } from './payment-refunds.service';
import { storedStatuses, wireRefund } from './refund-states';

/**
 * The admins' side of refunds: the queue (`GET /admin/refunds`) and marking a manual refund —
 * cash on delivery, paid out of band — paid (`POST /admin/refunds/{id}/mark-paid`), whatever gave
 * the money back: a return, or one parcel of an order that goes on. Marking paid is one
 * conditional `manual → paid` move, so two admins at once change it once and both get the paid
 * refund; the order's payment status follows in the same transaction.
 */
@Injectable()
export class AdminRefundsService {
  constructor(
    private readonly repo: PaymentRefundsRepository,
    private readonly refunds: PaymentRefundsService,
    private readonly returns: ManualReturnRefunds,
    private readonly uow: UnitOfWork,
  ) {}

  async list(q: AdminRefundQuery): Promise<Page<PaymentRefund>> {
    const statuses = storedStatuses(q.status, q.method);
    if (statuses?.length === 0) return pageOf([], 0, q);
    const [items, total] = await this.repo.page({
      statuses,
      skip: skipOf(q),
      take: q.page_size ?? 20,
    });
    return pageOf(items, total, q);
  }

  async markPaid(actor: Actor, id: string): Promise<PaymentRefund> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('Refund');
    if (row.status === 'paid') return row;
    if (row.status !== 'manual') throw notManual(row);
    if (row.kind === 'return') {
      // the return moves to refunded with its ledger entries, and marks the row paid
      try {
        await this.returns.markPaid(actor, row.reference);
      } catch (e) {
        // a second call racing this one lost the move: the refund is paid all the same
        if ((await this.repo.byId(id))?.status !== 'paid') throw e;
      }
    } else {
      // a parcel's seller side was booked when it moved (refund, commission_reversal entries)
      await this.uow.run(async (tx) => {
        if (!(await this.repo.move(tx, row.id, ['manual'], { status: 'paid' }))) return;
        await this.refunds.markRefunded(tx, {
          orderId: row.orderId,
          amount: Number(row.amount),
          reference: row.reference,
        });
      });
    }
    const now = (await this.repo.byId(id))!;
    if (now.status !== 'paid') throw notManual(now);
    return now;
  }
}

function notManual(r: PaymentRefund): DomainError {
  const { method, status } = wireRefund(r.status);
  return new DomainError(
    'REFUND_NOT_MANUAL',
    `Only a pending manual refund is marked paid (this one is ${method}, ${status})`,
    { refund_id: r.id, method, status },
  );
}
