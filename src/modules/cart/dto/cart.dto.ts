import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsUUID, Max, Min } from 'class-validator';

export const MAX_LINE_QUANTITY = 1_000_000;

export class AddCartItemDto {
  @ApiProperty({ format: 'uuid', example: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' })
  @IsUUID()
  product_id: string;

  @ApiProperty({
    minimum: 1,
    example: 2,
    description: 'Added to the line if the product is already in the cart',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity: number;
}

export class UpdateCartItemDto {
  @ApiProperty({ minimum: 1, example: 3, description: 'The new quantity of the line' })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity: number;
}

export class CartProductResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Смартфон Samsung Galaxy A55' }) name: string;
  @ApiProperty({ example: 189990.5, description: 'Current price, KZT' }) price: number;
  @ApiProperty({ type: [String], example: ['https://cdn.bibarys.kz/p/1.jpg'] })
  image_urls: string[];
  @ApiProperty({ example: 12, description: 'Units in stock now' }) quantity: number;
  @ApiProperty({ example: true }) is_active: boolean;
}

export class CartLineResponse {
  @ApiProperty({ format: 'uuid' }) product_id: string;
  @ApiProperty({ type: CartProductResponse }) product: CartProductResponse;
  @ApiProperty({ example: 2 }) quantity: number;
  @ApiProperty({ example: 189990.5, description: 'The product price now, KZT' }) unit_price: number;
  @ApiProperty({ example: 379981, description: 'unit_price × quantity, KZT' }) subtotal: number;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) added_at: string;
}

export class CartResponse {
  @ApiProperty({ type: [CartLineResponse], description: 'Lines, oldest first' })
  items: CartLineResponse[];
  @ApiProperty({ example: 3, description: 'Sum of the quantities of all lines' })
  total_items: number;
  @ApiProperty({ example: 389981, description: 'Sum of the subtotals, KZT' })
  total_amount: number;
}
