import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { PageQuery } from '../../../common/pagination/pagination';
import type { LedgerType } from '../money-rules';
import { LEDGER_TYPES } from '../money-rules';
import { IsKzt } from './kzt.validator';

export class LedgerQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'Entries created at or after this date or instant (UTC)',
  })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-11-30',
    description: 'Entries created before the end of this date (or before this instant), UTC',
  })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({ enum: LEDGER_TYPES, example: 'sale' })
  @IsOptional()
  @IsIn(LEDGER_TYPES)
  type?: LedgerType;
}

export class StatementQuery {
  @ApiPropertyOptional({
    example: 'Asia/Almaty',
    default: 'Asia/Almaty',
    description: 'IANA time zone whose local midnights bound the month',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;
}

export class AdjustmentDto {
  @ApiProperty({ example: -1500.5, description: 'KZT, signed, not 0' })
  @IsKzt('nonZero')
  amount: number;

  @ApiProperty({ example: 'Компенсация за повреждённую доставку', minLength: 1, maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  note: string;
}

export class FinanceQuery {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'From this date or instant (UTC), inclusive',
  })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({
    example: '2026-11-30',
    description: 'To the end of this date (or this instant), UTC',
  })
  @IsOptional()
  @IsISO8601()
  to?: string;
}
