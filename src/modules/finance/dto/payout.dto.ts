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

import { PageQuery } from '../../../common/pagination/pagination';
import type { Payout } from '../finance.entities';
import { IsKzt } from './kzt.validator';

export const PAYOUT_STATUSES = ['pending', 'paid', 'failed'] as const;

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
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES)
  status?: Payout['status'];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() seller_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() batch_id?: string;
}

export class SellerPayoutQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES)
  status?: Payout['status'];
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
