import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { FakeUnitOfWork } from '../../testing/fake-unit-of-work';
import type { ProductInventoryService } from '../products/product-inventory.service';
import type { ProductSnapshot } from '../products/product-shape';
import type { PurchaseVerifier } from './purchase-verifier';
import { Review } from './review.entity';
import type { NewReviewRow, ReviewsRepository, ReviewSubject } from './reviews.repository';
import { averageRating, ReviewsService } from './reviews.service';
import type { SellerRatings } from './seller-ratings';

const actor = (id: string, role: Actor['role'] = 'customer'): Actor => ({
  id,
  role,
  email: `${id}@x.kz`,
  firstName: 'Айгерим',
  lastName: 'нурланова',
});
const buyer = actor('buyer');

/** The reviews table in memory; `raceOnce` changes a review's rating just before the next write. */
class FakeReviews {
  readonly rows = new Map<string, Review>();
  /** Ratings another request writes before our conditional write, one per lost race. */
  readonly races: number[] = [];
  uniqueViolationOnInsert = false;

  add(over: Partial<Review>): Review {
    const r = Object.assign(new Review(), {
      id: `r${this.rows.size + 1}`,
      productId: 'p1',
      sellerId: null,
      userId: 'buyer',
      authorName: 'A',
      rating: 4,
      comment: null,
      createdAt: new Date(),
      updatedAt: new Date(),
      ...over,
    });
    this.rows.set(r.id, r);
    return r;
  }

  findById = jest.fn(async (id: string) => {
    const r = this.rows.get(id);
    return r ? Object.assign(new Review(), r) : null;
  });
  hasReviewed = jest.fn(async (_tx: unknown, subject: ReviewSubject, userId: string) =>
    [...this.rows.values()].some(
      (r) =>
        r.userId === userId &&
        ('productId' in subject
          ? r.productId === subject.productId
          : r.sellerId === subject.sellerId),
    ),
  );
  insert = jest.fn(async (_tx: unknown, row: NewReviewRow) => {
    if (this.uniqueViolationOnInsert) {
      throw Object.assign(new Error('duplicate key'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    }
    this.add(row);
  });
  updateIfRating = jest.fn(
    async (_tx: unknown, id: string, old: number, next: Pick<Review, 'rating' | 'comment'>) => {
      if (!this.stillRated(id, old)) return false;
      Object.assign(this.rows.get(id)!, next);
      return true;
    },
  );
  deleteIfRating = jest.fn(async (_tx: unknown, id: string, old: number) => {
    if (!this.stillRated(id, old)) return false;
    return this.rows.delete(id);
  });
  pageOf = jest.fn(async () => [...this.rows.values()]);
  totalsOf = jest.fn(async () => ({ count: 0, sum: 0 }));

  private stillRated(id: string, old: number): boolean {
    const r = this.rows.get(id);
    const race = this.races.shift();
    if (r && race !== undefined) r.rating = race; // someone else edited it first
    return !!r && r.rating === old;
  }
}

describe('ReviewsService', () => {
  let reviews: FakeReviews;
  let products: Map<string, ProductSnapshot>;
  let inventory: { findByIds: jest.Mock; applyReviewDelta: jest.Mock };
  let purchases: { hasDeliveredPurchase: jest.Mock; hasDeliveredFromSeller: jest.Mock };
  let sellerRatings: { applyReviewDelta: jest.Mock };
  let uow: FakeUnitOfWork;
  let service: ReviewsService;

  beforeEach(() => {
    reviews = new FakeReviews();
    products = new Map([
      [
        'p1',
        {
          id: 'p1',
          sellerId: 'seller',
          name: 'Чайник',
          price: 500000,
          quantity: 3,
          category: 'home',
          imageUrls: [],
          isActive: true,
        },
      ],
    ]);
    inventory = {
      findByIds: jest.fn(async (ids: string[]) =>
        ids.flatMap((id) => (products.has(id) ? [products.get(id)!] : [])),
      ),
      applyReviewDelta: jest.fn(async () => undefined),
    };
    purchases = {
      hasDeliveredPurchase: jest.fn(async () => true),
      hasDeliveredFromSeller: jest.fn(async () => true),
    };
    sellerRatings = { applyReviewDelta: jest.fn(async () => undefined) };
    uow = new FakeUnitOfWork();
    service = new ReviewsService(
      reviews as unknown as ReviewsRepository,
      uow.asUnitOfWork(),
      inventory as unknown as ProductInventoryService,
      purchases as unknown as PurchaseVerifier,
      sellerRatings as unknown as SellerRatings,
    );
  });

  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e) => (e instanceof DomainError ? e.code : String(e)),
    );
  /** The (productId, countDelta, sumDelta) of every rating change, each in the open transaction. */
  const deltas = () =>
    inventory.applyReviewDelta.mock.calls.map(([tx, ...rest]) => {
      expect(tx === uow.tx).toBe(true);
      return rest;
    });

  describe('create', () => {
    it('lets a verified buyer review: the rating joins the product in the same transaction', async () => {
      const res = await service.create(buyer, { product_id: 'p1', rating: 4, comment: 'Хорошо' });
      expect(res).toMatchObject({ product_id: 'p1', user_id: 'buyer', rating: 4 });
      expect(res.author_name).toBe('Айгерим Н.');
      expect(purchases.hasDeliveredPurchase).toHaveBeenCalledWith('buyer', 'p1');
      expect(deltas()).toEqual([['p1', 1, 4]]);
      expect(uow.runs).toBe(1);
    });

    it('refuses anyone without a delivered purchase (NOT_A_BUYER), writing nothing', async () => {
      purchases.hasDeliveredPurchase.mockResolvedValue(false);
      expect(await code(service.create(buyer, { product_id: 'p1', rating: 5 }))).toBe(
        'NOT_A_BUYER',
      );
      expect(uow.runs).toBe(0);
      expect(reviews.insert).not.toHaveBeenCalled();
    });

    it('refuses the seller of the product, and an unknown or inactive product', async () => {
      expect(await code(service.create(actor('seller'), { product_id: 'p1', rating: 5 }))).toBe(
        'FORBIDDEN',
      );
      products.set('p2', { ...products.get('p1')!, id: 'p2', isActive: false });
      expect(await code(service.create(buyer, { product_id: 'p2', rating: 5 }))).toBe('NOT_FOUND');
      expect(await code(service.create(buyer, { product_id: 'nope', rating: 5 }))).toBe(
        'NOT_FOUND',
      );
      expect(purchases.hasDeliveredPurchase).not.toHaveBeenCalled();
    });

    it('allows one review per product and buyer (REVIEW_EXISTS), the rating untouched', async () => {
      reviews.add({ productId: 'p1', userId: 'buyer' });
      expect(await code(service.create(buyer, { product_id: 'p1', rating: 1 }))).toBe(
        'REVIEW_EXISTS',
      );
      expect(reviews.insert).not.toHaveBeenCalled();
      expect(deltas()).toEqual([]);
    });

    it('turns a concurrent duplicate that lost on the unique index into REVIEW_EXISTS', async () => {
      reviews.uniqueViolationOnInsert = true;
      expect(await code(service.create(buyer, { product_id: 'p1', rating: 1 }))).toBe(
        'REVIEW_EXISTS',
      );
    });
  });

  describe('seller reviews', () => {
    /** The (sellerId, countDelta, sumDelta) of every shop rating change, in the open transaction. */
    const sellerDeltas = () =>
      sellerRatings.applyReviewDelta.mock.calls.map(([tx, ...rest]) => {
        expect(tx === uow.tx).toBe(true);
        return rest;
      });

    it("lets a buyer with a delivered fulfillment of the seller review; the shop's rating moves", async () => {
      const res = await service.create(buyer, {
        seller_id: 'seller',
        rating: 5,
        comment: 'Быстро',
      });
      expect(res).toMatchObject({ product_id: null, seller_id: 'seller', rating: 5 });
      expect(purchases.hasDeliveredFromSeller).toHaveBeenCalledWith('buyer', 'seller');
      expect(sellerDeltas()).toEqual([['seller', 1, 5]]);
      expect(deltas()).toEqual([]); // no product rating moves
    });

    it('refuses a buyer without a delivery of the seller, the seller themselves, a duplicate', async () => {
      purchases.hasDeliveredFromSeller.mockResolvedValueOnce(false);
      expect(await code(service.create(buyer, { seller_id: 'seller', rating: 5 }))).toBe(
        'NOT_A_BUYER',
      );
      expect(await code(service.create(actor('seller'), { seller_id: 'seller', rating: 5 }))).toBe(
        'FORBIDDEN',
      );
      reviews.add({ productId: null, sellerId: 'seller', userId: 'buyer' });
      expect(await code(service.create(buyer, { seller_id: 'seller', rating: 2 }))).toBe(
        'REVIEW_EXISTS',
      );
      expect(sellerDeltas()).toEqual([]);
    });

    it('a product review does not count as a seller review (and the other way round)', async () => {
      reviews.add({ productId: 'p1', sellerId: null, userId: 'buyer' });
      expect((await service.create(buyer, { seller_id: 'seller', rating: 3 })).seller_id).toBe(
        'seller',
      );
    });

    it('needs exactly one of product_id and seller_id (400 naming both)', async () => {
      for (const body of [{ rating: 5 }, { product_id: 'p1', seller_id: 'seller', rating: 5 }]) {
        const err = await service.create(buyer, body).catch((e: DomainError) => e);
        expect(err).toBeInstanceOf(DomainError);
        expect((err as DomainError).code).toBe('BAD_REQUEST');
        expect((err as DomainError).details).toMatchObject({
          errors: [{ field: 'product_id' }, { field: 'seller_id' }],
        });
      }
      expect(await code(service.list({ page: 1, page_size: 20 }))).toBe('BAD_REQUEST');
      expect(uow.runs).toBe(0);
    });

    it("edits and deletes move the shop's rating, not a product's", async () => {
      const r = reviews.add({ productId: null, sellerId: 'seller', rating: 4 });
      await service.update(buyer, r.id, { rating: 2 });
      await service.remove(buyer, r.id);
      expect(sellerDeltas()).toEqual([
        ['seller', 0, -2],
        ['seller', -1, -2],
      ]);
      expect(deltas()).toEqual([]);
    });

    it("lists a seller's reviews by seller", async () => {
      reviews.totalsOf.mockResolvedValue({ count: 2, sum: 9 });
      const page = await service.list({ seller_id: 'seller', page: 1, page_size: 20 });
      expect(page.average_rating).toBe(4.5);
      expect(reviews.pageOf).toHaveBeenCalledWith({ sellerId: 'seller' }, 0, 20);
      expect(inventory.findByIds).not.toHaveBeenCalled();
    });
  });

  describe('update and delete', () => {
    it('moves the rating sum by the difference; a comment-only edit leaves it', async () => {
      const r = reviews.add({ rating: 4 });
      expect((await service.update(buyer, r.id, { rating: 1 })).rating).toBe(1);
      await service.update(buyer, r.id, { comment: 'Уже лучше' });
      expect(reviews.rows.get(r.id)).toMatchObject({ rating: 1, comment: 'Уже лучше' });
      expect(deltas()).toEqual([['p1', 0, -3]]);
    });

    it('takes the count and the rating away on delete (the author, or an admin)', async () => {
      const mine = reviews.add({ rating: 5 });
      const theirs = reviews.add({ rating: 2, userId: 'other' });
      await service.remove(buyer, mine.id);
      await service.remove(actor('root', 'admin'), theirs.id);
      expect(deltas()).toEqual([
        ['p1', -1, -5],
        ['p1', -1, -2],
      ]);
      expect(reviews.rows.size).toBe(0);
    });

    it("answers 404 for another user's review (an admin may not edit it)", async () => {
      const r = reviews.add({ userId: 'other' });
      expect(await code(service.update(buyer, r.id, { rating: 1 }))).toBe('NOT_FOUND');
      expect(await code(service.update(actor('root', 'admin'), r.id, { rating: 1 }))).toBe(
        'NOT_FOUND',
      );
      expect(await code(service.remove(buyer, r.id))).toBe('NOT_FOUND');
      expect(deltas()).toEqual([]);
    });

    it('reads again after losing a race, and moves the rating from what won', async () => {
      const r = reviews.add({ rating: 4 });
      reviews.races.push(2); // another edit set 2 between our read and our write
      await service.update(buyer, r.id, { rating: 5 });
      expect(reviews.updateIfRating).toHaveBeenCalledTimes(2);
      expect(deltas()).toEqual([['p1', 0, 3]]); // 2 → 5, not 4 → 5
      reviews.races.push(3);
      await service.remove(buyer, r.id);
      expect(deltas()[1]).toEqual(['p1', -1, -3]);
    });

    it('gives up with CONFLICT after five lost races, changing no rating', async () => {
      const r = reviews.add({ rating: 4 });
      reviews.races.push(1, 2, 1, 2, 1);
      expect(await code(service.update(buyer, r.id, { rating: 5 }))).toBe('CONFLICT');
      expect(reviews.updateIfRating).toHaveBeenCalledTimes(5);
      expect(deltas()).toEqual([]);
    });
  });

  describe('list', () => {
    it('pages the reviews and averages them to two decimals', async () => {
      reviews.add({ rating: 5 });
      reviews.totalsOf.mockResolvedValue({ count: 3, sum: 10 });
      const page = await service.list({ product_id: 'p1', page: 1, page_size: 20 });
      expect(page).toMatchObject({ total: 3, pages: 1, average_rating: 3.33 });
      expect(reviews.pageOf).toHaveBeenCalledWith({ productId: 'p1' }, 0, 20);
    });

    it('answers 404 for an unknown product', async () => {
      expect(await code(service.list({ product_id: 'nope', page: 1, page_size: 20 }))).toBe(
        'NOT_FOUND',
      );
    });

    it('averages: 0 without reviews, halves kept', () => {
      expect([averageRating(0, 0), averageRating(2, 7), averageRating(3, 14)]).toEqual([
        0, 3.5, 4.67,
      ]);
    });
  });
});
