import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

import { ProductResponse, toProductResponse } from '../../products/dto/product.dto';
import type { ProductDetails } from '../../products/product-shape';
import type { WishlistItem } from '../wishlist-item.entity';

export class AddWishlistItemDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })
  @IsUUID()
  product_id: string;
}

export class WishlistItemResponse {
  @ApiProperty({ format: 'uuid' }) product_id: string;
  @ApiProperty({ type: ProductResponse }) product: ProductResponse;
  @ApiProperty({ format: 'date-time', example: '2026-11-28T12:00:00.000Z' }) added_at: string;
}

export class WishlistResponse {
  @ApiProperty({ type: [WishlistItemResponse], description: 'Newest first' })
  items: WishlistItemResponse[];
  @ApiProperty({ example: 3 }) total: number;
}

export function toWishlistItemResponse(
  item: WishlistItem,
  product: ProductDetails,
): WishlistItemResponse {
  return {
    product_id: item.productId,
    product: toProductResponse(product),
    added_at: new Date(item.addedAt).toISOString(),
  };
}
