import { Product } from '../../src/modules/products/product.entity';
import { Review } from '../../src/modules/reviews/review.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { insertOrder } from '../factories/analytics';
import { checkout } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

describe('reviews (e2e)', () => {
  let t: TestApp;
  let admin: Actor;
  let seller: Actor;
  let buyer: Actor;
  let buyer2: Actor;
  let stranger: Actor;
  let product: Product;

  const api = '/api/v1/reviews';
  const productRow = (id = product.id) => t.ds.getRepository(Product).findOneByOrFail({ id });

  /** A delivered order of `p` for `who` (or another status). */
  const bought = (who: Actor, p: Product, status: 'delivered' | 'shipped' = 'delivered') =>
    insertOrder(t.ds, {
      userId: who.id,
      createdAt: new Date().toISOString(),
      fulfillments: [{ status, delivery: 1500, lines: [{ product: p, quantity: 1 }] }],
    });

  const post = (who: Actor, body: Record<string, unknown>) =>
    t.http.post(api).set(who.auth).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
    seller = await makeUser(t.http, 'seller');
    buyer = await makeUser(t.http, 'customer', { first_name: 'Айгерим', last_name: 'нурланова' });
    buyer2 = await makeUser(t.http, 'customer', { first_name: 'Ерлан', last_name: 'Серіков' });
    stranger = await makeUser(t.http, 'customer');
    product = await insertProduct(t.ds, seller.id, { price: 5000 });
    await bought(buyer, product);
    await bought(buyer2, product);
  });
  afterAll(() => t.close());

  describe('POST /reviews', () => {
    it('lets a buyer with a delivered order review, and moves rating and review_count', async () => {
      const res = await post(buyer, { product_id: product.id, rating: 4, comment: '  Хорошо  ' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        product_id: product.id,
        seller_id: null,
        user_id: buyer.id,
        author_name: 'Айгерим Н.',
        rating: 4,
        comment: 'Хорошо',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toContain(buyer.email);
      const p = await productRow();
      expect([p.reviewCount, p.ratingSum, p.rating]).toEqual([1, 4, 4]);
    });

    it('answers 409 for a second review of the same product, changing nothing', async () => {
      // its own product and first review: this test does not lean on the one before
      const p = await insertProduct(t.ds, seller.id);
      await bought(buyer, p);
      const first = await post(buyer, { product_id: p.id, rating: 4 });
      expect(first.status).toBe(201);
      const res = await post(buyer, { product_id: p.id, rating: 1 });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('REVIEW_EXISTS');
      expect(await t.ds.getRepository(Review).findBy({ productId: p.id })).toEqual([
        expect.objectContaining({ id: first.body.id, rating: 4 }),
      ]);
      const row = await productRow(p.id);
      expect([row.reviewCount, row.ratingSum]).toEqual([1, 4]);
    });

    it('answers 403 without a delivered purchase (none, or only shipped)', async () => {
      expect((await post(stranger, { product_id: product.id, rating: 5 })).status).toBe(403);
      const other = await insertProduct(t.ds, seller.id);
      await bought(stranger, other, 'shipped');
      const res = await post(stranger, { product_id: other.id, rating: 5 });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_A_BUYER');
    });

    it('answers 403 to a seller reviewing their own product', async () => {
      const res = await post(seller, { product_id: product.id, rating: 5 });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('answers 404 for an unknown or inactive product', async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      expect((await post(buyer, { product_id: missing, rating: 5 })).status).toBe(404);
      const gone = await insertProduct(t.ds, seller.id, { isActive: false });
      await bought(buyer, gone);
      expect((await post(buyer, { product_id: gone.id, rating: 5 })).status).toBe(404);
    });

    it('answers 400 for a bad rating, a bad id or unknown fields, 401 without a token', async () => {
      const before = (await productRow()).reviewCount;
      for (const body of [
        { product_id: product.id, rating: 0 },
        { product_id: product.id, rating: 6 },
        { product_id: product.id, rating: 3.5 },
        { product_id: product.id, rating: '5' },
        { product_id: product.id },
        { product_id: 'nope', rating: 5 },
        { product_id: product.id, rating: 5, comment: 'x'.repeat(2001) },
        { product_id: product.id, rating: 5, user_id: stranger.id },
      ]) {
        const res = await post(buyer2, body);
        expect([JSON.stringify(body).slice(0, 80), res.status]).toEqual([
          JSON.stringify(body).slice(0, 80),
          400,
        ]);
      }
      expect((await t.http.post(api).send({ product_id: product.id, rating: 5 })).status).toBe(401);
      expect((await productRow()).reviewCount).toBe(before);
      expect(
        await t.ds.getRepository(Review).countBy({ userId: buyer2.id, productId: product.id }),
      ).toBe(0);
    });
  });

  describe('through the real order flow', () => {
    it('allows the review only once the seller has delivered the order', async () => {
      const p = await insertProduct(t.ds, seller.id, { quantity: 5 });
      const order = await checkout(t.http, stranger, [{ product: p, quantity: 1 }]);
      for (const status of ['confirmed', 'processing', 'shipped', 'delivered']) {
        expect((await post(stranger, { product_id: p.id, rating: 5 })).status).toBe(403);
        const moved = await t.http
          .put(`/api/v1/orders/${order.id}/status`)
          .set(seller.auth)
          .send({ status });
        expect([status, moved.status]).toEqual([status, 200]);
      }
      const res = await post(stranger, { product_id: p.id, rating: 5 });
      expect(res.status).toBe(201);
      expect((await productRow(p.id)).rating).toBe(5);
    });
  });

  describe('concurrency', () => {
    it('keeps rating and review_count exact when reviews land at once', async () => {
      const p = await insertProduct(t.ds, seller.id);
      const buyers = [buyer, buyer2, stranger];
      for (const b of buyers) await bought(b, p);
      const results = await Promise.all(
        buyers.map((b, i) => post(b, { product_id: p.id, rating: i + 3 })),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      const row = await productRow(p.id);
      expect([row.reviewCount, row.ratingSum, row.rating]).toEqual([3, 12, 4]);

      // and concurrent edits and deletes
      const ids = results.map((r) => r.body.id as string);
      const changes = await Promise.all([
        t.http.put(`${api}/${ids[0]}`).set(buyer.auth).send({ rating: 1 }),
        t.http.put(`${api}/${ids[1]}`).set(buyer2.auth).send({ rating: 5 }),
        t.http.delete(`${api}/${ids[2]}`).set(stranger.auth),
      ]);
      expect(changes.map((r) => r.status)).toEqual([200, 200, 204]);
      const after = await productRow(p.id);
      expect([after.reviewCount, after.ratingSum, after.rating]).toEqual([2, 6, 3]);
    });

    it('lets one of three simultaneous reviews by the same buyer in (201, then 409s)', async () => {
      const p = await insertProduct(t.ds, seller.id);
      await bought(buyer, p);
      const results = await Promise.all(
        [2, 4, 5].map((rating) => post(buyer, { product_id: p.id, rating })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      const kept = results.find((r) => r.status === 201)!.body.rating;
      const row = await productRow(p.id);
      expect([row.reviewCount, row.ratingSum]).toEqual([1, kept]);
      expect(await t.ds.getRepository(Review).countBy({ productId: p.id })).toBe(1);
    });
  });

  describe('GET /reviews', () => {
    let p: Product;
    beforeAll(async () => {
      p = await insertProduct(t.ds, seller.id);
      await bought(buyer, p);
      await bought(buyer2, p);
      const older = await post(buyer, { product_id: p.id, rating: 5, comment: 'Супер' });
      await post(buyer2, { product_id: p.id, rating: 2 });
      // make the order of the two unambiguous
      await t.ds
        .getRepository(Review)
        .update({ id: older.body.id }, { createdAt: new Date(Date.now() - 60_000) });
    });

    it('is public, pages newest first, names authors without emails, averages ratings', async () => {
      const res = await t.http.get(api).query({ product_id: p.id, page_size: 1 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        total: 2,
        page: 1,
        page_size: 1,
        pages: 2,
        average_rating: 3.5,
      });
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toMatchObject({ user_id: buyer2.id, author_name: 'Ерлан С.' });
      const page2 = await t.http.get(api).query({ product_id: p.id, page_size: 1, page: 2 });
      expect(page2.body.items[0]).toMatchObject({ user_id: buyer.id, rating: 5, comment: 'Супер' });
      expect(JSON.stringify([res.body, page2.body])).not.toMatch(/@example\.kz/);
    });

    it('gives an empty page with average 0 for a product without reviews', async () => {
      const q = await insertProduct(t.ds, seller.id);
      const res = await t.http.get(api).query({ product_id: q.id });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [],
        total: 0,
        page: 1,
        page_size: 20,
        pages: 0,
        average_rating: 0,
      });
    });

    it('needs product_id (400), a valid one (400), an existing product (404)', async () => {
      expect((await t.http.get(api)).status).toBe(400);
      expect((await t.http.get(api).query({ product_id: 'x' })).status).toBe(400);
      expect((await t.http.get(api).query({ product_id: p.id, page_size: 101 })).status).toBe(400);
      expect((await t.http.get(api).query({ product_id: p.id, sort: 'x' })).status).toBe(400);
      const missing = '00000000-0000-4000-8000-000000000000';
      expect((await t.http.get(api).query({ product_id: missing })).status).toBe(404);
    });
  });

  describe('PUT /reviews/{id} and DELETE /reviews/{id}', () => {
    let p: Product;
    let mine: string;
    let theirs: string;
    beforeAll(async () => {
      p = await insertProduct(t.ds, seller.id);
      await bought(buyer, p);
      await bought(buyer2, p);
      mine = (await post(buyer, { product_id: p.id, rating: 5, comment: 'Да' })).body.id;
      theirs = (await post(buyer2, { product_id: p.id, rating: 3 })).body.id;
    });

    it('lets the author edit rating and comment; the product follows', async () => {
      const res = await t.http.put(`${api}/${mine}`).set(buyer.auth).send({ rating: 1 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: mine, rating: 1, comment: 'Да' });
      const row = await productRow(p.id);
      expect([row.reviewCount, row.ratingSum, row.rating]).toEqual([2, 4, 2]);
      const cleared = await t.http.put(`${api}/${mine}`).set(buyer.auth).send({ comment: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ rating: 1, comment: null });
    });

    it('answers 404 to anyone else (admin included), 400 for bad input, 401 without a token', async () => {
      expect(
        (await t.http.put(`${api}/${theirs}`).set(buyer.auth).send({ rating: 5 })).status,
      ).toBe(404);
      expect(
        (await t.http.put(`${api}/${theirs}`).set(admin.auth).send({ rating: 5 })).status,
      ).toBe(404);
      expect(
        (await t.http.put(`${api}/${theirs}`).set(buyer2.auth).send({ rating: 9 })).status,
      ).toBe(400);
      expect(
        (await t.http.put(`${api}/${theirs}`).set(buyer2.auth).send({ product_id: p.id })).status,
      ).toBe(400);
      expect((await t.http.put(`${api}/not-a-uuid`).set(buyer2.auth).send({})).status).toBe(400);
      expect((await t.http.put(`${api}/${theirs}`).send({ rating: 5 })).status).toBe(401);
      expect((await t.ds.getRepository(Review).findOneByOrFail({ id: theirs })).rating).toBe(3);
    });

    it('lets neither another user nor an anonymous caller delete (404, 401)', async () => {
      expect((await t.http.delete(`${api}/${theirs}`).set(buyer.auth)).status).toBe(404);
      expect((await t.http.delete(`${api}/${theirs}`).set(seller.auth)).status).toBe(404);
      expect((await t.http.delete(`${api}/${theirs}`)).status).toBe(401);
      expect(await t.ds.getRepository(Review).countBy({ id: theirs })).toBe(1);
    });

    it('lets the author and an admin delete (204); the product follows', async () => {
      expect((await t.http.delete(`${api}/${mine}`).set(buyer.auth)).status).toBe(204);
      let row = await productRow(p.id);
      expect([row.reviewCount, row.ratingSum, row.rating]).toEqual([1, 3, 3]);
      expect((await t.http.delete(`${api}/${theirs}`).set(admin.auth)).status).toBe(204);
      row = await productRow(p.id);
      expect([row.reviewCount, row.ratingSum, row.rating]).toEqual([0, 0, 0]);
      expect((await t.http.delete(`${api}/${theirs}`).set(admin.auth)).status).toBe(404);
      // deleting frees the slot: the buyer may review again
      expect((await post(buyer, { product_id: p.id, rating: 4 })).status).toBe(201);
    });
  });
});
