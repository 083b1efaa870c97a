import { ApiProperty } from '@nestjs/swagger';

import { toKzt } from '../../../common/money/money';
import { REFUND_STATUSES } from '../return.entity';
import { RETURN_REASONS } from '../return-rules';
import { RETURN_STATUSES } from '../return-workflow';
import type { LoadedReturn } from '../returns.repository';

export class ReturnItemResponse {
  @ApiProperty({ format: 'uuid' }) order_item_id: string;
  @ApiProperty({ format: 'uuid' }) product_id: string;
  @ApiProperty({ example: 'Чайник электрический Bibarys K1' }) product_name: string;
  @ApiProperty({ example: 1 }) quantity: number;
  @ApiProperty({ enum: RETURN_REASONS, example: 'defective' }) reason: string;
  @ApiProperty({ type: String, nullable: true, example: 'Не включается' }) comment: string | null;
}

export class ReturnHistoryResponse {
  @ApiProperty({ enum: RETURN_STATUSES, example: 'requested' }) status: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Who made the move (null: the system, e.g. the escalation)',
  })
  by: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) note: string | null;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) at: string;
}

export class ReturnResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) order_id: string;
  @ApiProperty({ format: 'uuid', description: "The seller whose fulfillment's lines come back" })
  seller_id: string;
  @ApiProperty({
    enum: RETURN_STATUSES,
    example: 'requested',
    description:
      'requested → approved → received → refunded; requested → rejected | cancelled | escalated (no decision within RETURN_RESPONSE_TIME); escalated → approved | rejected (admin)',
  })
  status: string;
  @ApiProperty({ type: [ReturnItemResponse] }) items: ReturnItemResponse[];
  @ApiProperty({
    example: 15000,
    description:
      'KZT: Σ price × quantity of the lines, plus the delivery cost when every line of the fulfillment comes back in full and no reason is changed_mind. An estimate until the return is received, then fixed.',
  })
  refund_amount: number;
  @ApiProperty({
    enum: REFUND_STATUSES,
    nullable: true,
    type: String,
    example: 'completed',
    description:
      'null until received; pending (being paid), completed, failed (retried by the recovery sweep), manual (cash on delivery: an admin pays it and marks it paid, then completed)',
  })
  refund_status: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Who approved or rejected',
  })
  decided_by: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) decision_note: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'When it went to an admin',
  })
  escalated_at: string | null;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) updated_at: string;
  @ApiProperty({ type: [ReturnHistoryResponse] }) history: ReturnHistoryResponse[];
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function toReturnResponse({ ret, items, history }: LoadedReturn): ReturnResponse {
  return {
    id: ret.id,
    order_id: ret.orderId,
    seller_id: ret.sellerId,
    status: ret.status,
    items: items.map((i) => ({
      order_item_id: i.orderItemId,
      product_id: i.productId,
      product_name: i.productName,
      quantity: Number(i.quantity),
      reason: i.reason,
      comment: i.comment ?? null,
    })),
    refund_amount: toKzt(ret.refundAmount),
    refund_status: ret.refundStatus ?? null,
    decided_by: ret.decidedBy ?? null,
    decision_note: ret.decisionNote ?? null,
    escalated_at: ret.escalatedAt ? iso(ret.escalatedAt) : null,
    created_at: iso(ret.createdAt),
    updated_at: iso(ret.updatedAt),
    history: history.map((h) => ({
      status: h.status,
      by: h.changedBy ?? null,
      note: h.note ?? null,
      at: iso(h.at),
    })),
  };
}
