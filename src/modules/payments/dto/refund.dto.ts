import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { toKzt } from '../../../common/money/money';
import { PageQuery } from '../../../common/pagination/pagination';
import type { PaymentRefund, RefundKind } from '../payment-refund.entity';
import type { RefundMethod, WireRefundStatus } from '../refund-states';
import { REFUND_METHODS, WIRE_REFUND_STATUSES, wireRefund } from '../refund-states';

export class AdminRefundQuery extends PageQuery {
  @ApiPropertyOptional({ enum: WIRE_REFUND_STATUSES, example: 'pending' })
  @IsOptional()
  @IsIn(WIRE_REFUND_STATUSES)
  status?: WireRefundStatus;

  @ApiPropertyOptional({
    enum: REFUND_METHODS,
    example: 'manual',
    description: '`manual`: cash on delivery, paid out of band by an admin',
  })
  @IsOptional()
  @IsIn(REFUND_METHODS)
  method?: RefundMethod;
}

export class RefundResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) order_id: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The parcel (fulfillment) whose money goes back',
  })
  fulfillment_id: string | null;
  @ApiProperty({
    enum: ['return', 'parcel'],
    description:
      '`return`: a return’s refund; `parcel`: one parcel of an order that goes on, cancelled or moved to refunded',
  })
  kind: RefundKind;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The return refunded (kind `return`)',
  })
  return_id: string | null;
  @ApiProperty({ example: 4500, description: 'KZT' }) amount: number;
  @ApiProperty({ enum: REFUND_METHODS, example: 'manual' }) method: RefundMethod;
  @ApiProperty({
    enum: WIRE_REFUND_STATUSES,
    example: 'pending',
    description:
      'pending: owed (a manual one until an admin marks it paid; a provider one is being asked); completed: the money went back; failed: the provider refused, the recovery sweep asks again',
  })
  status: WireRefundStatus;
  @ApiProperty({ nullable: true, type: String, example: null }) failure_reason: string | null;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z', description: 'Last change (marked paid)' })
  updated_at: string;
}

export function toRefundResponse(r: PaymentRefund): RefundResponse {
  return {
    id: r.id,
    order_id: r.orderId,
    fulfillment_id: r.fulfillmentId,
    kind: r.kind,
    return_id: r.kind === 'return' ? r.reference : null,
    amount: toKzt(r.amount),
    ...wireRefund(r.status),
    failure_reason: r.failureReason,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  };
}
