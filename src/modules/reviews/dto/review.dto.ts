import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import { PageQuery } from '../../../common/pagination/pagination';

const trimOrNull = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  return t.length ? t : null;
};

export const MAX_COMMENT = 2000;

export class CreateReviewDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The product reviewed (a product review); exactly one of product_id, seller_id',
  })
  @IsOptional()
  @IsUUID()
  product_id?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The seller reviewed (a seller review: needs a delivered fulfillment of that seller); ' +
      'exactly one of product_id, seller_id',
  })
  @IsOptional()
  @IsUUID()
  seller_id?: string;

  @ApiProperty({ minimum: 1, maximum: 5, example: 5, description: 'An integer from 1 to 5' })
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_COMMENT,
    example: 'Отличный чайник, быстро закипает',
  })
  @IsOptional()
  @Transform(trimOrNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(MAX_COMMENT)
  comment?: string | null;
}

export class UpdateReviewDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 5, example: 4 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  rating?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_COMMENT,
    description: 'null or an empty string removes the comment',
  })
  @IsOptional()
  @Transform(trimOrNull)
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(MAX_COMMENT)
  comment?: string | null;
}

export class ReviewListQuery extends PageQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The product whose reviews to list (exactly one of product_id, seller_id)',
  })
  @IsOptional()
  @IsUUID()
  @Type(() => String)
  product_id?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The seller whose reviews to list (exactly one of product_id, seller_id)',
  })
  @IsOptional()
  @IsUUID()
  @Type(() => String)
  seller_id?: string;
}
