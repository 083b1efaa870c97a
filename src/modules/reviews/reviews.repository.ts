import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { insertRows } from '../../database/insert-rows';
import type { Tx } from '../../database/unit-of-work';
import { Review } from './review.entity';

/** The columns of a new review. */
export type NewReviewRow = Pick<
  Review,
  'id' | 'productId' | 'sellerId' | 'userId' | 'authorName' | 'rating' | 'comment'
>;

/** What reviews are about: a product or a seller (exactly one). */
export type ReviewSubject = { productId: string } | { sellerId: string };

/** The reviews table's columns of a subject. */
const whereOf = (s: ReviewSubject) =>
  'productId' in s ? { productId: s.productId } : { sellerId: s.sellerId };

/** How many reviews a product has and the sum of their ratings. */
export interface RatingTotals {
  count: number;
  sum: number;
}

/** Every query on the `reviews` table. */
@Injectable()
export class ReviewsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  findById(id: string, tx?: Tx): Promise<Review | null> {
    return (tx ?? this.ds.manager).findOneBy(Review, { id });
  }

  hasReviewed(tx: Tx, subject: ReviewSubject, userId: string): Promise<boolean> {
    return tx.existsBy(Review, { ...whereOf(subject), userId });
  }

  /** Inserts without reading back; a second review of the product by the user throws (unique). */
  async insert(tx: Tx, row: NewReviewRow): Promise<void> {
    await insertRows(tx, Review, row);
  }

  /** A page of a product's (or seller's) reviews, newest first. */
  pageOf(subject: ReviewSubject, skip: number, take: number | undefined): Promise<Review[]> {
    return this.ds.manager.find(Review, {
      where: whereOf(subject),
      order: { createdAt: 'DESC', id: 'ASC' },
      skip,
      take,
    });
  }

  /** The count and rating sum of a product's (or seller's) reviews (one statement, indexed). */
  async totalsOf(subject: ReviewSubject): Promise<RatingTotals> {
    const qb = this.ds.manager
      .createQueryBuilder(Review, 'r')
      .select('COUNT(*)', 'count')
      .addSelect('COALESCE(SUM(r.rating), 0)', 'sum');
    const row = await (
      'productId' in subject
        ? qb.where('r.product_id = :id', { id: subject.productId })
        : qb.where('r.seller_id = :id', { id: subject.sellerId })
    ).getRawOne<{ count: string | number; sum: string | number }>();
    return { count: Number(row?.count ?? 0), sum: Number(row?.sum ?? 0) };
  }

  /**
   * Writes rating and comment only while the stored rating is still `oldRating` (nobody changed
   * it since it was read). False when that race was lost.
   */
  async updateIfRating(
    tx: Tx,
    id: string,
    oldRating: number,
    next: Pick<Review, 'rating' | 'comment'>,
  ): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .update(Review)
      .set({ ...next, updatedAt: new Date() })
      .where('id = :id AND rating = :old', { id, old: oldRating })
      .execute();
    return res.affected === 1;
  }

  /** Deletes only while the stored rating is still `oldRating`. False when that race was lost. */
  async deleteIfRating(tx: Tx, id: string, oldRating: number): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .delete()
      .from(Review)
      .where('id = :id AND rating = :old', { id, old: oldRating })
      .execute();
    return res.affected === 1;
  }
}
