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

import { PageMeta, PageQuery } from '../../../common/pagination/pagination';
import { Review } from '../review.entity';

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

export class ReviewResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The product reviewed (null for a seller review)',
  })
  product_id: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The seller reviewed (null for a product review)',
  })
  seller_id: string | null;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty({
    example: 'Айгерим Н.',
    description: 'First name and the initial of the last name (never the email)',
  })
  author_name: string;
  @ApiProperty({ minimum: 1, maximum: 5, example: 5 }) rating: number;
  @ApiProperty({ type: String, nullable: true, example: 'Отличный товар' }) comment: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class ReviewPage extends PageMeta {
  @ApiProperty({ type: [ReviewResponse] }) items: ReviewResponse[];
  @ApiProperty({
    example: 4.33,
    description: 'Average rating of the product or seller (0 when none)',
  })
  average_rating: number;
}

export function toReviewResponse(r: Review): ReviewResponse {
  return {
    id: r.id,
    product_id: r.productId,
    seller_id: r.sellerId,
    user_id: r.userId,
    author_name: r.authorName,
    rating: r.rating,
    comment: r.comment ?? null,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  };
}
