import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';

import { PageQuery } from '../../../common/pagination/pagination';
import type { LegalForm } from '../kz-identifiers';
import { LEGAL_FORMS, normalizeIban, normalizeKzPhone } from '../kz-identifiers';
import { MAX_SLUG } from '../shop-slug';
import type { ShopStatus } from '../shop-workflow';
import { SHOP_STATUSES } from '../shop-workflow';
import { IsBik, IsBinIin, IsKbe, IsKzIban, IsKzMobile, IsSlug } from './kz-validators';

export const EXAMPLE_BIN = '971240001315';
export const EXAMPLE_IBAN = 'KZ86125KZT5004100100';
export const MAX_REASON = 500;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
/** Present (null included, so that null is refused instead of slipping through IsOptional). */
const given = (_: unknown, v: unknown) => v !== undefined;

/** PUT /seller/shop: any subset of the shop's own fields. */
export class UpdateShopDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'Дала Тойс' })
  @ValidateIf(given)
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    maxLength: MAX_SLUG,
    pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    example: 'dala-toys',
    description: 'Derived from the name when not given; another shop’s slug → 409 SLUG_TAKEN',
  })
  @ValidateIf(given)
  @IsString()
  @IsSlug()
  slug?: string;

  @ApiPropertyOptional({ maxLength: 5000, example: 'Деревянные игрушки ручной работы' })
  @ValidateIf(given)
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'Алматы' })
  @ValidateIf(given)
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  city?: string;

  @ApiPropertyOptional({
    example: '+77011234567',
    description: 'A KZ mobile number; `+7…`, `7…` and `8…` accepted, stored as `+7XXXXXXXXXX`',
  })
  @ValidateIf(given)
  @Transform(({ value }) =>
    typeof value === 'string' ? (normalizeKzPhone(value) ?? value) : value,
  )
  @IsKzMobile()
  support_phone?: string;

  @ApiPropertyOptional({
    enum: LEGAL_FORMS,
    example: 'too',
    description: '`too` (LLP) needs a BIN; `ip` and `individual` an IIN',
  })
  @ValidateIf(given)
  @IsIn(LEGAL_FORMS)
  legal_form?: LegalForm;

  @ApiPropertyOptional({
    example: EXAMPLE_BIN,
    pattern: '^\\d{12}$',
    description: 'BIN or IIN: 12 digits with the check digit; must fit legal_form',
  })
  @ValidateIf(given)
  @IsBinIin()
  bin_iin?: string;

  @ApiPropertyOptional({ example: true })
  @ValidateIf(given)
  @IsBoolean()
  vat_payer?: boolean;

  @ApiPropertyOptional({
    example: EXAMPLE_IBAN,
    description: 'KZ + 2 check digits + 16 letters/digits (ISO 13616 mod 97); spaces ignored',
  })
  @ValidateIf(given)
  @Transform(({ value }) => (typeof value === 'string' ? normalizeIban(value) : value))
  @IsKzIban()
  iban?: string;

  @ApiPropertyOptional({ example: 'CASPKZKA', description: '8–11 letters or digits' })
  @ValidateIf(given)
  @Transform(upper)
  @IsBik()
  bik?: string;

  @ApiPropertyOptional({ example: '17', description: 'Residency (1 or 2) and sector (1–9)' })
  @ValidateIf(given)
  @IsKbe()
  kbe?: string;
}

export class HolidayDto {
  @ApiProperty({ example: true })
  @IsBoolean()
  holiday: boolean;
}

/** Reject and suspend: the reason is mailed to the seller and kept in the history. */
export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_REASON, example: 'IBAN не принадлежит продавцу' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REASON)
  reason: string;
}

export class AdminShopQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SHOP_STATUSES, example: 'pending_review' })
  @IsOptional()
  @IsIn(SHOP_STATUSES)
  status?: ShopStatus;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'дала',
    description: 'Part of the name or slug (case-insensitive) or of the BIN/IIN',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}
