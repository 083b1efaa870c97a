import { ApiProperty } from '@nestjs/swagger';

import type { LegalForm } from '../kz-identifiers';
import { LEGAL_FORMS } from '../kz-identifiers';
import type { Shop } from '../shop.entity';
import type { ShopStatus } from '../shop-workflow';
import { SHOP_STATUSES } from '../shop-workflow';
import { EXAMPLE_BIN, EXAMPLE_IBAN } from './shop.dto';

/** The public part of a shop (no legal or bank fields): `GET /sellers/{slug}`. */
export class PublicShopResponse {
  @ApiProperty({ example: 'Дала Тойс' }) name: string;
  @ApiProperty({ example: 'dala-toys' }) slug: string;
  @ApiProperty({ example: 'Деревянные игрушки ручной работы' }) description: string;
  @ApiProperty({ type: String, nullable: true, example: 'Алматы' }) city: string | null;
  @ApiProperty({ example: 4.5, description: 'Average of seller reviews, 0 when none' })
  rating: number;
  @ApiProperty({ example: 12 }) review_count: number;
  @ApiProperty({ example: false }) holiday: boolean;
  @ApiProperty({ example: 7, description: 'Active products of the seller' })
  product_count: number;
  @ApiProperty({ example: '2026-11-30T08:00:00.000Z' }) created_at: string;
}

/** The whole shop: its owner and admins see this. */
export class ShopResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ type: String, nullable: true, example: 'Дала Тойс' }) name: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'dala-toys' }) slug: string | null;
  @ApiProperty({ example: 'Деревянные игрушки ручной работы' }) description: string;
  @ApiProperty({ type: String, nullable: true, example: 'Алматы' }) city: string | null;
  @ApiProperty({ type: String, nullable: true, example: '+77011234567' })
  support_phone: string | null;
  @ApiProperty({ enum: LEGAL_FORMS, nullable: true, example: 'too' })
  legal_form: LegalForm | null;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_BIN }) bin_iin: string | null;
  @ApiProperty({ example: true }) vat_payer: boolean;
  @ApiProperty({ type: String, nullable: true, example: EXAMPLE_IBAN }) iban: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'CASPKZKA' }) bik: string | null;
  @ApiProperty({ type: String, nullable: true, example: '17' }) kbe: string | null;
  @ApiProperty({ enum: SHOP_STATUSES, example: 'approved' }) status: ShopStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why it was rejected or suspended',
  })
  status_reason: string | null;
  @ApiProperty({ example: 4.5 }) rating: number;
  @ApiProperty({ example: 12 }) review_count: number;
  @ApiProperty({ example: false }) holiday: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-11-30T09:00:00.000Z',
    description: 'The last approval; stays set when an edit sends the shop back to review',
  })
  approved_at: string | null;
  @ApiProperty({ example: '2026-11-30T08:00:00.000Z' }) created_at: string;
  @ApiProperty({ example: '2026-11-30T09:00:00.000Z' }) updated_at: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function toShopResponse(s: Shop): ShopResponse {
  return {
    id: s.id,
    seller_id: s.sellerId,
    name: s.name,
    slug: s.slug,
    description: s.description,
    city: s.city,
    support_phone: s.supportPhone,
    legal_form: s.legalForm,
    bin_iin: s.binIin,
    vat_payer: !!s.vatPayer,
    iban: s.iban,
    bik: s.bik,
    kbe: s.kbe,
    status: s.status,
    status_reason: s.statusReason,
    rating: Number(s.rating),
    review_count: s.reviewCount,
    holiday: !!s.holiday,
    approved_at: s.approvedAt ? iso(s.approvedAt) : null,
    created_at: iso(s.createdAt),
    updated_at: iso(s.updatedAt),
  };
}

export function toPublicShopResponse(s: Shop, productCount: number): PublicShopResponse {
  return {
    name: s.name ?? '',
    slug: s.slug ?? '',
    description: s.description,
    city: s.city,
    rating: Number(s.rating),
    review_count: s.reviewCount,
    holiday: !!s.holiday,
    product_count: productCount,
    created_at: iso(s.createdAt),
  };
}
