import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../../database/db-errors';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, Repository } from 'typeorm';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { pageOf, skipOf } from '../../common/pagination/pagination';
import { UnitOfWork } from '../../database/unit-of-work';
import { ProductInventoryService } from '../products/product-inventory.service';
import type { Actor } from '../../common/auth/actor';
import {
  CreateReviewDto,
  ReviewListQuery,
  ReviewPage,
  ReviewResponse,
  toReviewResponse,
  UpdateReviewDto,
} from './dto/review.dto';
import { PurchaseVerifier } from './purchase-verifier';
import { Review } from './review.entity';

/** "Айгерим Н.": the first name and the last name's initial, never the email. */
export function authorName(u: Pick<Actor, 'firstName' | 'lastName'>): string {
  const first = u.firstName.trim();
  const initial = [...u.lastName.trim()][0];
  return initial ? `${first} ${initial.toLocaleUpperCase('ru')}.` : first;
}

/** Attempts of a conditional write that lost a race with another edit of the same review. */
const MAX_ATTEMPTS = 5;

/**
 * Reviews of products by their buyers. Each change moves the product's review_count and
 * rating_sum by an atomic increment in the same transaction, so concurrent reviews never lose one.
 */
@Injectable()
export class ReviewsService {
  constructor(
    @InjectRepository(Review) private readonly reviews: Repository<Review>,
    private readonly uow: UnitOfWork,
    private readonly inventory: ProductInventoryService,
    private readonly purchases: PurchaseVerifier,
  ) {}

  async create(actor: Actor, dto: CreateReviewDto): Promise<ReviewResponse> {
    const [product] = await this.inventory.findByIds([dto.product_id]);
    if (!product || !product.isActive) throw notFound('Product');
    if (product.sellerId === actor.id) {
      throw new DomainError('FORBIDDEN', 'You cannot review your own product');
    }
    if (!(await this.purchases.hasDeliveredPurchase(actor.id, product.id))) {
      throw new DomainError('NOT_A_BUYER', 'Only a buyer who received this product may review it');
    }
    const duplicate = () =>
      new DomainError('REVIEW_EXISTS', 'You have already reviewed this product');
    try {
      const review = await this.uow.run(async (em) => {
        if (await em.existsBy(Review, { productId: product.id, userId: actor.id })) {
          throw duplicate();
        }
        const r = em.create(Review, {
          id: randomUUID(),
          productId: product.id,
          userId: actor.id,
          authorName: authorName(actor),
          rating: dto.rating,
          comment: dto.comment ?? null,
        });
        await em.insert(Review, r);
        await this.inventory.applyReviewDelta(em, product.id, 1, dto.rating);
        return em.findOneByOrFail(Review, { id: r.id });
      });
      return toReviewResponse(review);
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate(); // a concurrent duplicate lost the race
      throw e;
    }
  }

  async list(q: ReviewListQuery): Promise<ReviewPage> {
    const [product] = await this.inventory.findByIds([q.product_id]);
    if (!product) throw notFound('Product');
    const [rows, total] = await this.reviews.findAndCount({
      where: { productId: product.id },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: skipOf(q),
      take: q.page_size,
    });
    const count = Number(product.reviewCount);
    return {
      ...pageOf(rows.map(toReviewResponse), total, q),
      average_rating: count ? Math.round((Number(product.ratingSum) * 100) / count) / 100 : 0,
    };
  }

  /** The author edits; anyone else gets 404. */
  async update(actor: Actor, id: string, dto: UpdateReviewDto): Promise<ReviewResponse> {
    const review = await this.uow.run(async (em) => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const r = await this.findOwn(em, actor, id, false);
        const rating = dto.rating ?? r.rating;
        const comment = dto.comment === undefined ? r.comment : dto.comment;
        const res = await em
          .createQueryBuilder()
          .update(Review)
          .set({ rating, comment, updatedAt: new Date() })
          .where('id = :id AND rating = :old', { id, old: r.rating })
          .execute();
        if (res.affected !== 1) continue; // edited meanwhile: read again
        if (rating !== r.rating) {
          await this.inventory.applyReviewDelta(em, r.productId, 0, rating - r.rating);
        }
        return em.findOneByOrFail(Review, { id });
      }
      throw new DomainError('CONFLICT', 'The review is being changed; try again');
    });
    return toReviewResponse(review);
  }

  /** The author or an admin deletes; anyone else gets 404. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.uow.run(async (em) => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const r = await this.findOwn(em, actor, id, actor.role === 'admin');
        const res = await em
          .createQueryBuilder()
          .delete()
          .from(Review)
          .where('id = :id AND rating = :old', { id, old: r.rating })
          .execute();
        if (res.affected !== 1) continue;
        await this.inventory.applyReviewDelta(em, r.productId, -1, -r.rating);
        return;
      }
      throw new DomainError('CONFLICT', 'The review is being changed; try again');
    });
  }

  private async findOwn(
    em: EntityManager,
    actor: Actor,
    id: string,
    anyAuthor: boolean,
  ): Promise<Review> {
    const r = await em.findOneBy(Review, { id });
    if (!r || (!anyAuthor && r.userId !== actor.id)) throw notFound('Review');
    return r;
  }
}
