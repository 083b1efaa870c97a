import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';

import { toKzt } from '../../../common/money/money';
import { PageQuery } from '../../../common/pagination/pagination';
import type { Payout } from '../finance.entities';
import { SKIP_REASONS } from '../money-rules';
import { IsKzt } from './kzt.validator';

const STATUSES = ['pending', 'paid', 'failed'] as const;

export class CreatePayoutsDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Only these sellers (default: every seller with money)',
    example: ['6f1c2b1e-3d4a-4c8e-9f00-1a2b3c4d5e6f'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10_000)
  @IsUUID('all', { each: true })
  seller_ids?: string[];

  @ApiPropertyOptional({ example: 1000, default: 1000, description: 'KZT: smaller balances wait' })
  @IsOptional()
  @IsKzt('nonNegative')
  min_amount?: number;
}

export class PayoutListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: Payout['status'];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() seller_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() batch_id?: string;
}

export class SellerPayoutQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: Payout['status'];
}

export class MarkPaidDto {
  @ApiProperty({ example: 'PP-2026-118342', description: "The bank's reference of the transfer" })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  bank_reference: string;
}

export class MarkFailedDto {
  @ApiProperty({ example: 'IBAN closed by the recipient bank' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  reason: string;
}

export class PayoutResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) batch_id: string;
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ example: 125000.5, description: 'KZT' }) amount: number;
  @ApiProperty({ enum: STATUSES, example: 'pending' }) status: string;
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
