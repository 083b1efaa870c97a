import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import type { Period } from '../date-range';
import { DEFAULT_TIME_ZONE, PERIODS } from '../date-range';

export class AnalyticsQuery {
  @ApiPropertyOptional({
    description:
      'Start (ISO 8601 date: local midnight in `tz`; or a date-time); default: 30 local days before `to`',
    example: '2026-11-01',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description:
      'End (ISO 8601; a date includes that whole local day); default: today in `tz`. Range ≤ 3 years',
    example: '2026-11-30',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    enum: PERIODS,
    default: 'day',
    description: 'Bucket size of the series (local to `tz`; weeks start on Monday)',
  })
  @IsOptional()
  @IsIn(PERIODS)
  period?: Period;

  @ApiPropertyOptional({
    default: DEFAULT_TIME_ZONE,
    example: 'Asia/Almaty',
    description:
      'IANA time zone: dates, days, weeks and months start at its local midnight. Unknown → 400 ' +
      'INVALID_TIME_ZONE naming `tz`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;
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
