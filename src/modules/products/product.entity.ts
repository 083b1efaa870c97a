import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CreatedAt, moneyColumn, UpdatedAt } from '../../database/column-types';
import type { ProductCategory, ProductDetails } from './product-shape';

export type { ProductCategory } from './product-shape';
export { PRODUCT_CATEGORIES } from './product-shape';

@Entity('products')
export class Product implements ProductDetails {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) sellerId: string;
  @Column({ type: 'varchar', length: 200 }) name: string;
  @Column({ type: 'text', default: '' }) description: string;
  /** tiyn */
  @Column(moneyColumn()) price: number;
  @Column({ type: 'integer' }) quantity: number;
  @Column({ type: 'varchar', length: 20 }) category: ProductCategory;
  @Column({ type: 'simple-json' }) imageUrls: string[];
  @Column({ type: 'boolean', default: true }) isActive: boolean;
  /** Average of the reviews (0 when none), kept in step with review_count and rating_sum. */
  @Column({ type: 'real', default: 0 }) rating: number;
  @Column({ type: 'integer', default: 0 }) ratingSum: number;
  @Column({ type: 'integer', default: 0 }) reviewCount: number;
  /** Units sold (net of cancellations): the `popular` sort. */
  @Column({ type: 'integer', default: 0 }) soldCount: number;
  /** Lower-cased (Unicode-aware, done in JS) name, and name + description, for search. */
  @Column({ type: 'varchar', length: 200 }) nameSearch: string;
  @Column({ type: 'text' }) searchText: string;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}
