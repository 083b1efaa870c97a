import { ApiProperty } from '@nestjs/swagger';

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
