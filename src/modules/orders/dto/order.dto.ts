import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

import { PageQuery } from '../../../common/pagination/pagination';
import type { DeliveryMethod, OrderStatus } from '../order.entity';
import { DELIVERY_METHODS, ORDER_STATUSES } from '../order.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateOrderDto {
  @ApiProperty({
    enum: DELIVERY_METHODS,
    example: 'standard',
    description: 'Cost per seller parcel: standard 1500, express 3000, same_day 5000 KZT',
  })
  @IsIn(DELIVERY_METHODS)
  delivery_method: DeliveryMethod;

  @ApiProperty({ example: 'г. Алматы, пр. Абая 10, кв. 5', maxLength: 500 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  delivery_address: string;

  @ApiProperty({
    example: '+77011234567',
    description: '7–20 digits, optional leading +, spaces, dashes, brackets',
  })
  @Transform(trim)
  @IsString()
  @Matches(/^\+?[0-9 ()-]{7,20}$/, { message: 'phone must be a phone number' })
  phone: string;

  @ApiPropertyOptional({ example: 'Позвоните за час до доставки', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class OrderListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}

export class ChangeOrderStatusDto {
  @ApiProperty({ enum: ORDER_STATUSES, example: 'shipped' })
  @IsIn(ORDER_STATUSES)
  status: OrderStatus;

  @ApiPropertyOptional({
    example: 'KZP123456789KZ',
    maxLength: 64,
    description: "The parcel's carrier tracking number (kept on the fulfillment)",
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  tracking_number?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Admin only: move just this seller's fulfillment",
  })
  @IsOptional()
  @IsUUID()
  seller_id?: string;
}
