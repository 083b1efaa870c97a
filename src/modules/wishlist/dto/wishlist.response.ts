import { ApiProperty } from '@nestjs/swagger';

import { ProductResponse, toProductResponse } from '../../products/dto/product.response';
import type { ProductDetails } from '../../products/product-shape';
import type { WishlistItem } from '../wishlist-item.entity';

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
