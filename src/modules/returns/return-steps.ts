import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import type { Tx } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import { Clock } from './clock';
import { ReturnResponse, toReturnResponse } from './dto/return.response';
import { ReturnContacts } from './ports/return-contacts';
import type { ProductReturn, RefundStatus, ReturnStatusHistory } from './return.entity';
import { capacitiesOf } from './return-access';
import type { ReturnMailData, ReturnMailEvent } from './return-mails';
import { returnMail } from './return-mails';
import type { ReturnActor, ReturnStatus } from './return-workflow';
import { canMoveReturn, RETURN_TRANSITIONS } from './return-workflow';
import { ReturnChange, ReturnsRepository } from './returns.repository';

export interface MoveOptions {
  note?: string | null;
  /** Other columns set with the status. */
  change?: ReturnChange;
  /** The refund state the row must still hold (the refund claim), besides its status. */
  refund?: { status: RefundStatus | null; attempts: number };
}

/** May any of these capacities ever make a move to `to` (from whatever status)? */
const mayEverMoveTo = (to: ReturnStatus, as: readonly ReturnActor[]) =>
  Object.values(RETURN_TRANSITIONS).some((moves) => moves[to]?.some((who) => as.includes(who)));

/**
 * The steps every return use case is made of: finding a return the actor may see, moving its
 * status (a conditional update plus a history row, in the caller's transaction) and queueing its
 * mails.
 */
@Injectable()
export class ReturnSteps {
  constructor(
    private readonly repo: ReturnsRepository,
    private readonly contacts: ReturnContacts,
    private readonly outbox: MailOutboxService,
    private readonly clock: Clock,
  ) {}

  /** The return and the actor's capacities on it; 404 when it does not exist or is not theirs. */
  async visible(
    actor: Actor,
    id: string,
    tx?: Tx,
  ): Promise<{ ret: ProductReturn; as: ReturnActor[] }> {
    const ret = await this.repo.findById(id, tx);
    const as = ret ? capacitiesOf(actor, ret) : [];
    if (!ret || !as.length) throw notFound('Return');
    return { ret, as };
  }

  /**
   * Moves the return to `to` in one of the capacities `as`: 403 when none of them may ever make
   * this move, 409 INVALID_TRANSITION when the workflow forbids it from the current status or
   * another request moved the return first. Returns the row as it now is.
   */
  async move(
    tx: Tx,
    ret: ProductReturn,
    to: ReturnStatus,
    as: readonly ReturnActor[],
    by: string | null,
    opts: MoveOptions = {},
  ): Promise<ProductReturn> {
    if (!as.some((who) => canMoveReturn(ret.status, to, who))) {
      if (!mayEverMoveTo(to, as)) {
        throw new DomainError('FORBIDDEN', `You may not move a return to ${to}`);
      }
      throw new DomainError('INVALID_TRANSITION', `A ${ret.status} return cannot become ${to}`, {
        current_status: ret.status,
      });
    }
    const moved = await this.tryMove(tx, ret, to, by, opts);
    if (!moved) {
      throw new DomainError('INVALID_TRANSITION', 'The return was changed meanwhile: reload it');
    }
    return moved;
  }

  /**
   * The conditional move alone (the caller has checked the workflow): null when another request
   * moved the return, or took over its refund claim, first.
   */
  async tryMove(
    tx: Tx,
    ret: ProductReturn,
    to: ReturnStatus,
    by: string | null,
    opts: MoveOptions = {},
  ): Promise<ProductReturn | null> {
    const now = this.clock.now();
    const change = { ...opts.change, status: to, updatedAt: now };
    const expect = opts.refund
      ? {
          status: ret.status,
          refundStatus: opts.refund.status,
          refundAttempts: opts.refund.attempts,
        }
      : { status: ret.status };
    if (!(await this.repo.updateIf(tx, ret.id, expect, change))) return null;
    const history: ReturnStatusHistory = {
      id: randomUUID(),
      returnId: ret.id,
      status: to,
      changedBy: by,
      note: opts.note ?? null,
      at: now,
    };
    await this.repo.addHistory(tx, history);
    return { ...ret, ...(change as Partial<ProductReturn>) };
  }

  /** Queues a mail about the return to one of its parties, in the caller's transaction. */
  async mail(
    tx: Tx,
    userId: string,
    event: ReturnMailEvent,
    ret: ProductReturn,
    extra: Partial<ReturnMailData> = {},
  ): Promise<void> {
    const contact = (await this.contacts.contactsOf([userId], tx)).get(userId);
    if (!contact) return;
    const data = { orderRef: ret.orderRef, amount: ret.refundAmount, ...extra };
    await this.outbox.enqueue(
      tx,
      returnMail(contact.email, contact.firstName, event, data),
      `return.${event}`,
    );
  }

  /** The answer of a use case: the return as it now is, with its lines and history. */
  async respond(ret: ProductReturn): Promise<ReturnResponse> {
    const [loaded] = await this.repo.withDetails([ret]);
    return toReturnResponse(loaded);
  }

  /** Asks the mail sender to look (after the commit). */
  kick(): void {
    this.outbox.kick();
  }

  now(): Date {
    return this.clock.now();
  }
}
