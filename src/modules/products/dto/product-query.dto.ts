import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { MAX_PRICE_KZT } from '../../../common/money/money';
import { PageQuery } from '../../../common/pagination/pagination';
import type { ProductCategory } from '../product.entity';
import { PRODUCT_CATEGORIES } from '../product.entity';
import { IsMoney } from './money.validator';

export const PRODUCT_SORTS = ['price_asc', 'price_desc', 'newest', 'rating', 'popular'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const MAX_SEARCH = 200;

/** A query-string number: '' and anything non-numeric become NaN (refused), not 0. */
const toNumber = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  return value.trim() === '' ? NaN : Number(value);
};

/** 'true'/'1' and 'false'/'0'; anything else stays a string and is refused. */
const toBoolean = ({ value }: { value: unknown }) => {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
};

export class ProductListQuery extends PageQuery {
  @ApiPropertyOptional({
    maxLength: MAX_SEARCH,
    example: 'кроссовки',
    description:
      'Case-insensitive substring of the name or the description (Cyrillic included; % and _ ' +
      'are literal). Without `sort`, name matches come before description-only matches. ' +
      'Blank means no search.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_SEARCH)
  search?: string;

  @ApiPropertyOptional({ enum: PRODUCT_CATEGORIES })
  @IsOptional()
  @IsIn(PRODUCT_CATEGORIES)
  category?: ProductCategory;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    maximum: MAX_PRICE_KZT,
    example: 1000,
    description: 'Lowest price, KZT, inclusive (at most 2 decimals)',
  })
  @IsOptional()
  @Transform(toNumber)
  @IsMoney({ positive: false })
  min_price?: number;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    maximum: MAX_PRICE_KZT,
    example: 50000,
    description: 'Highest price, KZT, inclusive; not below min_price (else 400)',
  })
  @IsOptional()
  @Transform(toNumber)
  @IsMoney({ positive: false })
  max_price?: number;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this seller's products" })
  @IsOptional()
  @IsUUID()
  seller_id?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'true: only products in stock (quantity > 0); false: only sold-out ones',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  in_stock?: boolean;

  @ApiPropertyOptional({
    enum: PRODUCT_SORTS,
    description:
      'price_asc, price_desc, newest (created_at), rating (average review), popular (units ' +
      'sold); ties are broken by id. Default: newest, or relevance when `search` is given.',
  })
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort?: ProductSort;
}
