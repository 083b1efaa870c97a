import { ApiProperty } from '@nestjs/swagger';

import { PageMeta } from '../../../common/pagination/pagination';
import { Review } from '../review.entity';

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
