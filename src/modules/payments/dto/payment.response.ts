import { ApiProperty } from '@nestjs/swagger';

import { toKzt } from '../../../common/money/money';
import type { Payment } from '../payment.entity';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../payment.entity';

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) order_id: string;
  @ApiProperty({
    example: 5481.5,
    description:
      "KZT: the order's total_amount when paid. Cash on delivery: what the courier collects — a parcel cancelled (or refunded) while the payment is still pending is taken off it, so a multi-seller order collects only the parcels that go on",
  })
  amount: number;
  @ApiProperty({ enum: PAYMENT_METHODS, example: 'card' }) payment_method: string;
  @ApiProperty({
    enum: PAYMENT_STATUSES,
    example: 'completed',
    description:
      'processing: the provider is being asked; pending: waiting for the provider (kaspi) or delivery (cash_on_delivery); failed: declined or the provider failed (the order stays payable); refunded: money returned',
  })
  status: string;
  @ApiProperty({
    example: 'demo_card_3f2a9c0d1e4b5a6978c0d1e2',
    description: "The provider's transaction id (unique)",
  })
  transaction_id: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description:
      'Why a failed payment failed: card_declined, provider_error, provider_timeout, order_cancelled, or the provider’s reason',
  })
  failure_reason: string | null;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) updated_at: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function toPaymentResponse(p: Payment): PaymentResponse {
  return {
    id: p.id,
    order_id: p.orderId,
    amount: toKzt(p.amount),
    payment_method: p.paymentMethod,
    status: p.status,
    transaction_id: p.transactionId,
    failure_reason: p.failureReason ?? null,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt),
  };
}
