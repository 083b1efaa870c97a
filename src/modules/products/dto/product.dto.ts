import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUrl,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

import { MAX_PRICE_KZT } from '../../../common/money/money';
import type { ProductCategory } from '../product.entity';
import { PRODUCT_CATEGORIES } from '../product.entity';
import { IsMoney } from './money.validator';

export const MAX_NAME = 200;
export const MAX_DESCRIPTION = 5000;
export const MAX_IMAGES = 10;
export const MAX_URL = 2048;
export const MAX_QUANTITY = 1_000_000_000;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Present (null included, so that null is refused instead of slipping through IsOptional). */
const given = (_: unknown, v: unknown) => v !== undefined;

const URL_RULE = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_valid_protocol: true,
  require_tld: false,
};

/** The create fields; every one of them is validated when present (null is refused). */
export class UpdateProductDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_NAME, example: 'Кроссовки Nike Air Zoom' })
  @ValidateIf(given)
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_NAME)
  name?: string;

  @ApiPropertyOptional({ maxLength: MAX_DESCRIPTION, example: 'Лёгкие беговые кроссовки' })
  @ValidateIf(given)
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description?: string;

  @ApiPropertyOptional({
    minimum: 0,
    exclusiveMinimum: true,
    maximum: MAX_PRICE_KZT,
    multipleOf: 0.01,
    example: 45990.5,
    description: 'KZT, greater than 0, at most 100,000,000, at most 2 decimals',
  })
  @ValidateIf(given)
  @IsMoney({ positive: true })
  price?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_QUANTITY, example: 12 })
  @ValidateIf(given)
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  quantity?: number;

  @ApiPropertyOptional({ enum: PRODUCT_CATEGORIES, example: 'sports' })
  @ValidateIf(given)
  @IsIn(PRODUCT_CATEGORIES)
  category?: ProductCategory;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_IMAGES,
    example: ['https://cdn.bibarys.kz/p/1.jpg'],
    description: 'Up to 10 http(s) URLs',
  })
  @ValidateIf(given)
  @IsArray()
  @ArrayMaxSize(MAX_IMAGES)
  @IsString({ each: true })
  @MaxLength(MAX_URL, { each: true })
  @IsUrl(URL_RULE, { each: true, message: 'each image_urls entry must be an http(s) URL' })
  image_urls?: string[];

  @ApiPropertyOptional({
    example: true,
    description: 'false deactivates (as DELETE does); true puts it back on sale',
  })
  @ValidateIf(given)
  @IsBoolean()
  is_active?: boolean;
}

export class CreateProductDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_NAME, example: 'Кроссовки Nike Air Zoom' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_NAME)
  name: string;

  @ApiProperty({ maxLength: MAX_DESCRIPTION, example: 'Лёгкие беговые кроссовки' })
  @IsString()
  @MaxLength(MAX_DESCRIPTION)
  description: string;

  @ApiProperty({
    minimum: 0,
    exclusiveMinimum: true,
    maximum: MAX_PRICE_KZT,
    multipleOf: 0.01,
    example: 45990.5,
    description: 'KZT, greater than 0, at most 100,000,000, at most 2 decimals',
  })
  @IsMoney({ positive: true })
  price: number;

  @ApiProperty({ minimum: 0, maximum: MAX_QUANTITY, example: 12, description: 'Units in stock' })
  @IsInt()
  @Min(0)
  @Max(MAX_QUANTITY)
  quantity: number;

  @ApiProperty({ enum: PRODUCT_CATEGORIES, example: 'sports' })
  @IsIn(PRODUCT_CATEGORIES)
  category: ProductCategory;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_IMAGES,
    example: ['https://cdn.bibarys.kz/p/1.jpg'],
    description: 'Up to 10 http(s) URLs (default: none)',
  })
  @ValidateIf(given)
  @IsArray()
  @ArrayMaxSize(MAX_IMAGES)
  @IsString({ each: true })
  @MaxLength(MAX_URL, { each: true })
  @IsUrl(URL_RULE, { each: true, message: 'each image_urls entry must be an http(s) URL' })
  image_urls?: string[];
}
