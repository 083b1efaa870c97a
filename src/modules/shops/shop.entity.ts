import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt, timestampColumn, UpdatedAt } from '../../database/column-types';
import type { LegalForm } from './kz-identifiers';
import type { ShopStatus } from './shop-workflow';

/** A seller's shop: the public storefront and the legal and payout identity behind it. */
@Entity('shops')
export class Shop {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid', unique: true }) sellerId: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) name: string | null;
  /** The name lower-cased in JS (Unicode-aware), for the admin's case-insensitive search. */
  @Column({ type: 'varchar', length: 200, nullable: true }) nameSearch: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true, unique: true }) slug: string | null;
  @Column({ type: 'text', default: '' }) description: string;
  @Column({ type: 'varchar', length: 100, nullable: true }) city: string | null;
  @Column({ type: 'varchar', length: 12, nullable: true }) supportPhone: string | null;
  @Column({ type: 'varchar', length: 12, nullable: true }) legalForm: LegalForm | null;
  @Column({ type: 'varchar', length: 12, nullable: true }) binIin: string | null;
  @Column({ type: 'boolean', default: false }) vatPayer: boolean;
  @Column({ type: 'varchar', length: 20, nullable: true }) iban: string | null;
  @Column({ type: 'varchar', length: 11, nullable: true }) bik: string | null;
  @Column({ type: 'varchar', length: 2, nullable: true }) kbe: string | null;
  @Column({ type: 'varchar', length: 16, default: 'draft' }) status: ShopStatus;
  @Column({ type: 'varchar', length: 500, nullable: true }) statusReason: string | null;
  @Column({ type: 'real', default: 0 }) rating: number;
  @Column({ type: 'integer', default: 0 }) ratingSum: number;
  @Column({ type: 'integer', default: 0 }) reviewCount: number;
  @Column({ type: 'boolean', default: false }) holiday: boolean;
  /** The last approval; stays set when an edit sends the shop back to review ("ever approved"). */
  @Column(timestampColumn({ nullable: true })) approvedAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

/** The legal and bank fields: changing one of an approved shop sends it back to review. */
export const LEGAL_FIELDS = ['legalForm', 'binIin', 'iban', 'bik', 'kbe'] as const;
export type LegalFields = Pick<Shop, (typeof LEGAL_FIELDS)[number]>;

/** Every status move of a shop: who, when, from, to, why, and the legal values an edit replaced. */
@Entity('shop_status_history')
export class ShopStatusHistory {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) shopId: string;
  @Column({ type: 'uuid' }) sellerId: string;
  @Column({ type: 'varchar', length: 16 }) fromStatus: ShopStatus;
  @Column({ type: 'varchar', length: 16 }) toStatus: ShopStatus;
  @Column({ type: 'varchar', length: 500, nullable: true }) reason: string | null;
  @Column({ type: 'uuid', nullable: true }) changedBy: string | null;
  /** JSON of the legal and bank values before the edit that caused this move (else null). */
  @Column({ type: 'text', nullable: true }) previousValues: string | null;
  @Column(timestampColumn()) at: Date;
}
