import { Inject, Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UnitOfWork } from '../../database/unit-of-work';
import { CreateReturnDto, ReturnListQuery } from './dto/return.dto';
import { ReturnResponse, toReturnResponse } from './dto/return.response';
import { newReturn } from './new-return';
import type { ReturnableFulfillment, ReturnableOrder } from './ports/returnable-orders';
import { ReturnableOrders } from './ports/returnable-orders';
import { scopeOf } from './return-access';
import type { RequestedLine, ReturnRefusal } from './return-rules';
import { refundAmount, refuseReturn, returnableLines } from './return-rules';
import { ReturnSteps } from './return-steps';
import type { ReturnStatus } from './return-workflow';
import { HOLDING_STATUSES } from './return-workflow';
import { ReturnsRepository } from './returns.repository';

const badLine = (index: number, code: string, message: string) =>
  new DomainError('BAD_REQUEST', message, {
    errors: [{ field: `items.${index}.order_item_id`, code, message }],
  });

/** The one fulfillment every requested line belongs to, or 400. */
function fulfillmentOf(order: ReturnableOrder, items: CreateReturnDto['items']) {
  const owner = new Map<string, ReturnableFulfillment>();
  for (const f of order.fulfillments) for (const l of f.lines) owner.set(l.orderItemId, f);
  const first = items.findIndex((i) => owner.has(i.order_item_id));
  if (first < 0)
    throw badLine(0, 'foreign_line', 'items.0.order_item_id is not a line of the order');
  const f = owner.get(items[first].order_item_id)!;
  const other = items.findIndex(
    (i) => owner.has(i.order_item_id) && owner.get(i.order_item_id) !== f,
  );
  if (other >= 0) {
    throw badLine(
      other,
      'other_fulfillment',
      "A return holds lines of one seller's fulfillment only",
    );
  }
  return f;
}

function refusalError(r: ReturnRefusal, items: CreateReturnDto['items']): DomainError {
  const at = items.map((i) => i.order_item_id);
  // a duplicate is named where it appears again
  const dup = r.code === 'BAD_REQUEST' && r.why === 'duplicate_line';
  const index = Math.max(0, dup ? at.lastIndexOf(r.itemId) : at.indexOf(r.itemId ?? ''));
  switch (r.code) {
    case 'BAD_REQUEST':
      return r.why === 'foreign_line'
        ? badLine(index, r.why, `items.${index}.order_item_id is not a line of the order`)
        : badLine(index, r.why, `items.${index}.order_item_id appears twice`);
    case 'RETURN_QUANTITY_EXCEEDED':
      return new DomainError(
        'RETURN_QUANTITY_EXCEEDED',
        `items.${index}.quantity: ${r.requested} requested, ${r.returnable} returnable`,
        { order_item_id: r.itemId, requested: r.requested, returnable: r.returnable },
      );
    case 'RETURN_NOT_ALLOWED': {
      const why = {
        not_delivered: 'The fulfillment has not been delivered',
        not_paid:
          'The order is not paid yet (cash on delivery is collected once every parcel is delivered)',
        window_passed: 'The return window of this delivery has passed',
        category: 'A change of mind is not accepted for food and beauty products',
      }[r.why];
      return new DomainError('RETURN_NOT_ALLOWED', why, {
        rule: r.why,
        ...(r.itemId ? { order_item_id: r.itemId } : {}),
      });
    }
  }
}

/**
 * Returns: a buyer asks, the seller (or, after RETURN_RESPONSE_TIME, an admin) decides, the buyer
 * may cancel while nothing is decided. Receiving and refunding live in ReturnRefundService, the
 * sweeps in ReturnSweeper.
 */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly repo: ReturnsRepository,
    private readonly steps: ReturnSteps,
    private readonly orders: ReturnableOrders,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** POST /returns: the buyer's return of lines of one delivered fulfillment. */
  async create(actor: Actor, dto: CreateReturnDto): Promise<ReturnResponse> {
    const loaded = await this.uow.run(async (tx) => {
      const order = await this.orders.orderOf(tx, dto.order_id, actor.id);
      if (!order) throw notFound('Order');
      const f = fulfillmentOf(order, dto.items);
      const held = await this.repo.heldQuantities(tx, f.fulfillmentId, HOLDING_STATUSES);
      const lines = returnableLines(f, held);
      const requested: RequestedLine[] = dto.items.map((i) => ({
        orderItemId: i.order_item_id,
        quantity: i.quantity,
        reason: i.reason,
      }));
      const now = this.steps.now();
      const delivered = f.status === 'delivered' ? f.deliveredAt : null;
      const refusal = refuseReturn(
        lines,
        requested,
        delivered,
        now,
        this.config.returns.windowMs,
        order.paymentMethod !== null,
      );
      if (refusal) throw refusalError(refusal, dto.items);
      const amount = refundAmount(lines, requested, f.deliveryCost);
      const created = newReturn(order, f, dto.items, amount, actor.id, now);
      const { ret, items, history } = created;
      await this.repo.insert(tx, ret, items, history[0]);
      await this.steps.mail(tx, ret.buyerId, 'requested', ret);
      await this.steps.mail(tx, ret.sellerId, 'new_for_seller', ret, { lines: items });
      return created;
    });
    this.steps.kick();
    return toReturnResponse(loaded);
  }

  /** GET /returns: the actor's returns (as buyer or seller; admin: all), newest first. */
  async list(actor: Actor, q: ReturnListQuery): Promise<Page<ReturnResponse>> {
    const [rows, total] = await this.repo.page(
      scopeOf(actor),
      q.status,
      skipOf(q),
      q.page_size ?? 20,
    );
    const loaded = await this.repo.withDetails(rows);
    return pageOf(loaded.map(toReturnResponse), total, q);
  }

  /** GET /returns/{id}: 404 unless the actor is its buyer, its seller or an admin. */
  async get(actor: Actor, id: string): Promise<ReturnResponse> {
    const { ret } = await this.steps.visible(actor, id);
    return this.steps.respond(ret);
  }

  /** The seller while requested, an admin while requested or escalated. */
  approve(actor: Actor, id: string, note?: string): Promise<ReturnResponse> {
    return this.decide(actor, id, 'approved', note || null);
  }

  /** As approve; the note (why) is required (the DTO checks it). */
  reject(actor: Actor, id: string, note: string): Promise<ReturnResponse> {
    return this.decide(actor, id, 'rejected', note);
  }

  /** The buyer, while requested. */
  async cancel(actor: Actor, id: string): Promise<ReturnResponse> {
    const ret = await this.uow.run(async (tx) => {
      const { ret, as } = await this.steps.visible(actor, id, tx);
      const moved = await this.steps.move(tx, ret, 'cancelled', as, actor.id);
      await this.steps.mail(tx, moved.buyerId, 'cancelled', moved);
      return moved;
    });
    this.steps.kick();
    return this.steps.respond(ret);
  }

  private async decide(
    actor: Actor,
    id: string,
    to: Extract<ReturnStatus, 'approved' | 'rejected'>,
    note: string | null,
  ): Promise<ReturnResponse> {
    const ret = await this.uow.run(async (tx) => {
      const { ret, as } = await this.steps.visible(actor, id, tx);
      const moved = await this.steps.move(tx, ret, to, as, actor.id, {
        note,
        change: { decidedBy: actor.id, decisionNote: note },
      });
      await this.steps.mail(tx, moved.buyerId, to, moved, { note });
      return moved;
    });
    this.steps.kick();
    return this.steps.respond(ret);
  }
}
