import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsUUID, Max, Min, ValidateIf } from 'class-validator';

import { toKzt } from '../../../common/money/money';
import { PRODUCT_CATEGORIES } from '../../products/product-shape';
import type { CommissionRule } from '../finance.entities';
import { bpToPercent } from '../money-rules';
import { IsKzt } from './kzt.validator';

const RATE = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

export class CreateCommissionRuleDto {
  @ApiProperty({ enum: ['global', 'category', 'seller'], example: 'category' })
  @IsIn(['global', 'category', 'seller'])
  scope: 'global' | 'category' | 'seller';

  @ApiPropertyOptional({
    enum: PRODUCT_CATEGORIES,
    example: 'electronics',
    description: 'Required with scope `category`, refused otherwise',
  })
  @IsOptional()
  @IsIn(PRODUCT_CATEGORIES)
  category?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required with scope `seller`, refused otherwise',
  })
  @IsOptional()
  @IsUUID()
  seller_id?: string;

  @ApiProperty({ example: 7.5, minimum: 0, maximum: 100, description: 'Percent, up to 2 decimals' })
  @IsNumber(RATE)
  @Min(0)
  @Max(100)
  rate_percent: number;

  @ApiPropertyOptional({
    type: Number,
    example: 100,
    nullable: true,
    description: 'KZT per line, at least',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsKzt('nonNegative')
  min_fee?: number | null;

  @ApiPropertyOptional({
    type: Number,
    example: 20000,
    nullable: true,
    description: 'KZT per line, at most',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsKzt('nonNegative')
  max_fee?: number | null;
}

export class UpdateCommissionRuleDto {
  @ApiPropertyOptional({ example: 8, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber(RATE)
  @Min(0)
  @Max(100)
  rate_percent?: number;

  @ApiPropertyOptional({
    type: Number,
    example: 150,
    nullable: true,
    description: 'KZT; null removes it',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsKzt('nonNegative')
  min_fee?: number | null;

  @ApiPropertyOptional({
    type: Number,
    example: null,
    nullable: true,
    description: 'KZT; null removes it',
  })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsKzt('nonNegative')
  max_fee?: number | null;
}

export class CommissionRuleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['global', 'category', 'seller'], example: 'category' }) scope: string;
  @ApiProperty({ nullable: true, type: String, example: 'electronics' }) category: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', example: null })
  seller_id: string | null;
  @ApiProperty({ example: 7.5 }) rate_percent: number;
  @ApiProperty({ nullable: true, type: Number, example: 100 }) min_fee: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 20000 }) max_fee: number | null;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) created_at: string;
}

const kztOrNull = (t: number | null) => (t === null ? null : toKzt(t));

export const toRuleResponse = (r: CommissionRule): CommissionRuleResponse => ({
  id: r.id,
  scope: r.scope,
  category: r.category,
  seller_id: r.sellerId,
  rate_percent: bpToPercent(r.rateBp),
  min_fee: kztOrNull(r.minFee),
  max_fee: kztOrNull(r.maxFee),
  created_at: new Date(r.createdAt).toISOString(),
});
