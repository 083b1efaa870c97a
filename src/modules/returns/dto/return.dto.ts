import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { PageQuery } from '../../../common/pagination/pagination';
import type { ReturnReason } from '../return-rules';
import { RETURN_REASONS } from '../return-rules';
import type { ReturnStatus } from '../return-workflow';
import { RETURN_STATUSES } from '../return-workflow';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const MAX_RETURN_LINES = 100;

export class ReturnLineDto {
  @ApiProperty({ format: 'uuid', description: 'A line (`items[].id`) of the order' })
  @IsUUID()
  order_item_id: string;

  @ApiProperty({ minimum: 1, example: 1, description: 'At most bought minus already returned' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity: number;

  @ApiProperty({
    enum: RETURN_REASONS,
    example: 'defective',
    description: '`changed_mind` is refused for food and beauty products',
  })
  @IsIn(RETURN_REASONS)
  reason: ReturnReason;

  @ApiPropertyOptional({ example: 'Не включается', maxLength: 1000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class CreateReturnDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  order_id: string;

  @ApiProperty({
    type: [ReturnLineDto],
    description: "Lines of one seller's fulfillment, each at most once",
    example: [
      {
        order_item_id: '6f1c2b1e-2d7a-4c55-9b8e-3a0f5d1e7c42',
        quantity: 1,
        reason: 'defective',
        comment: 'Не включается',
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RETURN_LINES)
  @ValidateNested({ each: true })
  @Type(() => ReturnLineDto)
  items: ReturnLineDto[];
}

export class ApproveReturnDto {
  @ApiPropertyOptional({ example: 'Отправьте товар курьером', maxLength: 1000 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class RejectReturnDto {
  @ApiProperty({ example: 'Товар был в употреблении', maxLength: 1000, description: 'Required' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note: string;
}

export class ReturnListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RETURN_STATUSES })
  @IsOptional()
  @IsIn(RETURN_STATUSES)
  status?: ReturnStatus;
}
