import { ApiProperty } from '@nestjs/swagger';
import { toKzt } from '../../../common/money/money';
import { Product, PRODUCT_CATEGORIES } from '../../products/product.entity';
import type { ProductCategory } from '../../products/product.entity';

/** A product as the panels show it (the catalog's product shape). */
export class ProductView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ example: 'Чайник' }) name: string;
  @ApiProperty({ example: 'Электрический чайник, 1.7 л' }) description: string;
  @ApiProperty({ example: 12990.5, description: 'KZT' }) price: number;
  @ApiProperty({ example: 4 }) quantity: number;
  @ApiProperty({ enum: PRODUCT_CATEGORIES, example: 'home' }) category: ProductCategory;
  @ApiProperty({ type: [String], example: ['https://cdn.bibarys.kz/p/1.jpg'] })
  image_urls: string[];
  @ApiProperty() is_active: boolean;
  @ApiProperty({ example: 4.5, description: 'Average of the reviews, 0 when none' })
  rating: number;
  @ApiProperty({ example: 2 }) review_count: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export function toProductView(p: Product): ProductView {
  const count = Number(p.reviewCount);
  return {
    id: p.id,
    seller_id: p.sellerId,
    name: p.name,
    description: p.description,
    price: toKzt(p.price),
    quantity: p.quantity,
    category: p.category,
    image_urls: p.imageUrls ?? [],
    is_active: Boolean(p.isActive),
    rating: count ? Math.round((Number(p.ratingSum) * 100) / count) / 100 : 0,
    review_count: count,
    created_at: new Date(p.createdAt).toISOString(),
    updated_at: new Date(p.updatedAt).toISOString(),
  };
}
