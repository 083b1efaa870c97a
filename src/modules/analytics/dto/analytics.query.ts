import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

import type { Period } from '../date-range';
import { PERIODS } from '../date-range';

export class AnalyticsQuery {
  @ApiPropertyOptional({
    description: 'Start (ISO 8601 date or date-time, UTC); default: 30 days before `to`',
    example: '2026-11-01',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'End (ISO 8601; a date includes that whole day); default: today. Range ≤ 3 years',
    example: '2026-11-30',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    enum: PERIODS,
    default: 'day',
    description: 'Bucket size of the series (UTC; weeks start on Monday)',
  })
  @IsOptional()
  @IsIn(PERIODS)
  period?: Period;
}

export class ProductsAnalyticsQuery extends AnalyticsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
