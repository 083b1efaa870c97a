import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsUUID, Max, Min, ValidateIf } from 'class-validator';

import { PRODUCT_CATEGORIES } from '../../products/product-shape';
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
