import { ApiProperty } from '@nestjs/swagger';

import { toKzt } from '../../../common/money/money';
import { PageMeta } from '../../../common/pagination/pagination';
import type { ProductCategory } from '../product.entity';
import { PRODUCT_CATEGORIES } from '../product.entity';
import type { ProductDetails } from '../product-shape';

export class ProductResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ example: 'Кроссовки Nike Air Zoom' }) name: string;
  @ApiProperty({ example: 'Лёгкие беговые кроссовки' }) description: string;
  @ApiProperty({ example: 45990.5, description: 'KZT (at most 2 decimals)' }) price: number;
  @ApiProperty({ example: 12, description: 'Units in stock' }) quantity: number;
  @ApiProperty({ enum: PRODUCT_CATEGORIES, example: 'sports' }) category: ProductCategory;
  @ApiProperty({ type: [String], example: ['https://cdn.bibarys.kz/p/1.jpg'] })
  image_urls: string[];
  @ApiProperty({ example: true }) is_active: boolean;
  @ApiProperty({
    example: 4.67,
    description: 'Average of the reviews, 2 decimals; 0 when none',
  })
  rating: number;
  @ApiProperty({ example: 3 }) review_count: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class ProductPage extends PageMeta {
  @ApiProperty({ type: [ProductResponse] }) items: ProductResponse[];
}

export function toProductResponse(p: ProductDetails): ProductResponse {
  const count = Number(p.reviewCount);
  return {
    id: p.id,
    seller_id: p.sellerId,
    name: p.name,
    description: p.description,
    price: toKzt(p.price),
    quantity: Number(p.quantity),
    category: p.category,
    image_urls: p.imageUrls ?? [],
    is_active: Boolean(p.isActive),
    rating: count ? Math.round((Number(p.ratingSum) * 100) / count) / 100 : 0,
    review_count: count,
    created_at: new Date(p.createdAt).toISOString(),
    updated_at: new Date(p.updatedAt).toISOString(),
  };
}
