import { ApiProperty } from '@nestjs/swagger';

import { toKzt } from '../../../common/money/money';
import type { Payout } from '../finance.entities';
import { SKIP_REASONS } from '../money-rules';
import { PAYOUT_STATUSES } from './payout.dto';

export class PayoutResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) batch_id: string;
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ example: 125000.5, description: 'KZT' }) amount: number;
  @ApiProperty({ enum: PAYOUT_STATUSES, example: 'pending' }) status: string;
  @ApiProperty({ example: 'ИП Ахметова' }) shop_name: string;
  @ApiProperty({ example: '880101300123' }) bin_iin: string;
  @ApiProperty({ example: 'KZ86125KZT5004100100' }) iban: string;
  @ApiProperty({ example: 'KCJBKZKX' }) bik: string;
  @ApiProperty({ example: '19' }) kbe: string;
  @ApiProperty({ nullable: true, type: String, example: null }) bank_reference: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) failure_reason: string | null;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) created_at: string;
  @ApiProperty({ nullable: true, type: String, example: null }) paid_at: string | null;
}

export class PayoutSkip {
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ enum: SKIP_REASONS, example: 'BELOW_MINIMUM' }) reason: string;
}

export class PayoutBatchResponse {
  @ApiProperty({ format: 'uuid' }) batch_id: string;
  @ApiProperty({ type: [PayoutResponse] }) payouts: PayoutResponse[];
  @ApiProperty({ type: [PayoutSkip] }) skipped: PayoutSkip[];
}

const isoOrNull = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const toPayoutResponse = (p: Payout): PayoutResponse => ({
  id: p.id,
  batch_id: p.batchId,
  seller_id: p.sellerId,
  amount: toKzt(p.amount),
  status: p.status,
  shop_name: p.shopName,
  bin_iin: p.binIin,
  iban: p.iban,
  bik: p.bik,
  kbe: p.kbe,
  bank_reference: p.bankReference,
  failure_reason: p.failureReason,
  created_at: new Date(p.createdAt).toISOString(),
  paid_at: isoOrNull(p.paidAt),
});
