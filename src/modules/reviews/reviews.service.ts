import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { fieldsRefused } from '../../common/errors/validation-errors';
import { pageOf, skipOf } from '../../common/pagination/pagination';
import { isUniqueViolation } from '../../database/db-errors';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { ProductInventoryService } from '../products/product-inventory.service';
import { CreateReviewDto, ReviewListQuery, UpdateReviewDto } from './dto/review.dto';
import { ReviewPage, ReviewResponse, toReviewResponse } from './dto/review.response';
import { PurchaseVerifier } from './purchase-verifier';
import type { Review } from './review.entity';
import type { ReviewSubject } from './reviews.repository';
import { ReviewsRepository } from './reviews.repository';
import { SellerRatings } from './seller-ratings';

/** "Айгерим Н.": the first name and the last name's initial, never the email. */
export function authorName(u: Pick<Actor, 'firstName' | 'lastName'>): string {
  const first = u.firstName.trim();
  const initial = [...u.lastName.trim()][0];
  return initial ? `${first} ${initial.toLocaleUpperCase('ru')}.` : first;
}

/** Attempts of a conditional write that lost a race with another edit of the same review. */
const MAX_ATTEMPTS = 5;

/** Exactly one of `product_id` and `seller_id` (400 naming both otherwise). */
export function subjectOf(q: { product_id?: string; seller_id?: string }): ReviewSubject {
  if (q.product_id !== undefined && q.seller_id === undefined) return { productId: q.product_id };
  if (q.seller_id !== undefined && q.product_id === undefined) return { sellerId: q.seller_id };
  const message = 'Give exactly one of product_id and seller_id';
  throw fieldsRefused(
    'BAD_REQUEST',
    ['product_id', 'seller_id'].map((field) => ({ field, code: 'PRODUCT_OR_SELLER', message })),
  );
}

/**
 * Reviews of products, and of sellers, by their buyers. Each change moves the product's (or the
 * seller's shop's) review_count and rating_sum by an atomic increment in the same transaction,
 * so concurrent reviews never lose one.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly uow: UnitOfWork,
    private readonly inventory: ProductInventoryService,
    private readonly purchases: PurchaseVerifier,
    private readonly sellerRatings: SellerRatings,
  ) {}

  /** A product review (`product_id`) or a seller review (`seller_id`), by a verified buyer. */
  async create(actor: Actor, dto: CreateReviewDto): Promise<ReviewResponse> {
    const subject = await this.reviewable(actor, subjectOf(dto));
    const what = 'productId' in subject ? 'product' : 'seller';
    const duplicate = () =>
      new DomainError('REVIEW_EXISTS', `You have already reviewed this ${what}`);
    try {
      const review = await this.uow.run(async (tx) => {
        if (await this.reviews.hasReviewed(tx, subject, actor.id)) throw duplicate();
        const id = randomUUID();
        const row = {
          id,
          productId: null,
          sellerId: null,
          ...subject,
          userId: actor.id,
          authorName: authorName(actor),
          rating: dto.rating,
          comment: dto.comment ?? null,
        };
        await this.reviews.insert(tx, row);
        await this.rate(tx, row, 1, dto.rating);
        return this.stored(tx, id);
      });
      return toReviewResponse(review);
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate(); // a concurrent duplicate lost the race
      throw e;
    }
  }

  /**
   * A page of a product's (404 when unknown) or a seller's reviews with their average, from the
   * reviews themselves.
   */
  async list(q: ReviewListQuery): Promise<ReviewPage> {
    const subject = subjectOf(q);
    if ('productId' in subject) {
      const [product] = await this.inventory.findByIds([subject.productId]);
      if (!product) throw notFound('Product');
    }
    const [rows, totals] = await Promise.all([
      this.reviews.pageOf(subject, skipOf(q), q.page_size),
      this.reviews.totalsOf(subject),
    ]);
    return {
      ...pageOf(rows.map(toReviewResponse), totals.count, q),
      average_rating: averageRating(totals.count, totals.sum),
    };
  }

  /** The author edits; anyone else gets 404. */
  async update(actor: Actor, id: string, dto: UpdateReviewDto): Promise<ReviewResponse> {
    const review = await this.uow.run(async (tx) => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const r = await this.findOwn(tx, actor, id, false);
        const rating = dto.rating ?? r.rating;
        const comment = dto.comment === undefined ? r.comment : dto.comment;
        if (!(await this.reviews.updateIfRating(tx, id, r.rating, { rating, comment }))) {
          continue; // edited meanwhile: read again
        }
        if (rating !== r.rating) {
          await this.rate(tx, r, 0, rating - r.rating);
        }
        return this.stored(tx, id);
      }
      throw raceLost();
    });
    return toReviewResponse(review);
  }

  /** The author or an admin deletes; anyone else gets 404. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const r = await this.findOwn(tx, actor, id, actor.role === 'admin');
        if (!(await this.reviews.deleteIfRating(tx, id, r.rating))) continue;
        await this.rate(tx, r, -1, -r.rating);
        return;
      }
      throw raceLost();
    });
  }

  /**
   * The subject when the actor may review it: an active product not their own that they received
   * (404, 403 FORBIDDEN, 403 NOT_A_BUYER), or a seller, not themselves, of whom they have a
   * delivered fulfillment (403 NOT_A_BUYER; an unknown seller is one nobody received anything from).
   */
  private async reviewable(actor: Actor, subject: ReviewSubject): Promise<ReviewSubject> {
    if ('sellerId' in subject) {
      if (subject.sellerId === actor.id) {
        throw new DomainError('FORBIDDEN', 'You cannot review your own shop');
      }
      if (!(await this.purchases.hasDeliveredFromSeller(actor.id, subject.sellerId))) {
        throw new DomainError(
          'NOT_A_BUYER',
          'Only a buyer who received a delivery from this seller may review them',
        );
      }
      return subject;
    }
    const [product] = await this.inventory.findByIds([subject.productId]);
    if (!product || !product.isActive) throw notFound('Product');
    if (product.sellerId === actor.id) {
      throw new DomainError('FORBIDDEN', 'You cannot review your own product');
    }
    if (!(await this.purchases.hasDeliveredPurchase(actor.id, product.id))) {
      throw new DomainError('NOT_A_BUYER', 'Only a buyer who received this product may review it');
    }
    return subject;
  }

  /** Moves the rating counters of what the review is of, in the review's transaction. */
  private async rate(
    tx: Tx,
    r: Pick<Review, 'productId' | 'sellerId'>,
    countDelta: number,
    sumDelta: number,
  ): Promise<void> {
    if (r.productId) {
      await this.inventory.applyReviewDelta(tx, r.productId, countDelta, sumDelta);
    } else if (r.sellerId) {
      await this.sellerRatings.applyReviewDelta(tx, r.sellerId, countDelta, sumDelta);
    }
  }

  /** The review, or 404 unless it is the actor's (`anyAuthor`: an admin's delete). */
  private async findOwn(tx: Tx, actor: Actor, id: string, anyAuthor: boolean): Promise<Review> {
    const r = await this.reviews.findById(id, tx);
    if (!r || (!anyAuthor && r.userId !== actor.id)) throw notFound('Review');
    return r;
  }

  private async stored(tx: Tx, id: string): Promise<Review> {
    const r = await this.reviews.findById(id, tx);
    if (!r) throw new Error(`review ${id} vanished inside its own transaction`);
    return r;
  }
}

const raceLost = () => new DomainError('CONFLICT', 'The review is being changed; try again');

/** The mean rating to two decimals; 0 without reviews. */
export const averageRating = (count: number, sum: number): number =>
  count ? Math.round((sum * 100) / count) / 100 : 0;
