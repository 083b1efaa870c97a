import { Product } from '../../src/modules/products/product.entity';
import { Shop } from '../../src/modules/shops/shop.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { insertOrder } from '../factories/analytics';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

const LEGAL = {
  legal_form: 'too',
  bin_iin: '940140000385', // Halyk Bank JSC
  iban: 'KZ244350000012344567',
  bik: 'HSBKKZKX',
  kbe: '17',
};

/** Seller reviews: verified buyers only, one per buyer and seller, the shop's rating exact. */
describe('seller reviews (e2e)', () => {
  let t: TestApp;
  let admin: Actor;
  let seller: Actor;
  let product: Product;
  let slug: string;

  const api = '/api/v1/reviews';
  const post = (who: Actor, body: Record<string, unknown>) =>
    t.http.post(api).set(who.auth).send(body);
  /** A buyer whose fulfillment of the seller has `status`. */
  const buyer = async (status: 'delivered' | 'shipped' = 'delivered', p = product) => {
    const b = await makeUser(t.http, 'customer', { first_name: 'Дана', last_name: 'Омарова' });
    await insertOrder(t.ds, {
      userId: b.id,
      createdAt: new Date().toISOString(),
      fulfillments: [{ status, delivery: 1500, lines: [{ product: p, quantity: 1 }] }],
    });
    return b;
  };
  const shopRow = () => t.ds.getRepository(Shop).findOneByOrFail({ sellerId: seller.id });
  const publicPage = () => t.http.get(`/api/v1/sellers/${slug}`).expect(200);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
    seller = await makeUser(t.http, 'seller');
    const shop = await t.http
      .put('/api/v1/seller/shop')
      .set(seller.auth)
      .send({ name: 'Отзывчивый', ...LEGAL })
      .expect(200);
    slug = shop.body.slug;
    await t.http.post('/api/v1/seller/shop/submit').set(seller.auth).expect(200);
    await t.http.put(`/api/v1/admin/sellers/${seller.id}/approve`).set(admin.auth).expect(200);
    product = await insertProduct(t.ds, seller.id);
  });
  afterAll(() => t.close());

  it('lets a buyer with a delivered fulfillment review the seller; the shop page shows the rating', async () => {
    const b = await buyer();
    const res = await post(b, { seller_id: seller.id, rating: 4, comment: ' Быстрая доставка ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      product_id: null,
      seller_id: seller.id,
      user_id: b.id,
      author_name: 'Дана О.',
      rating: 4,
      comment: 'Быстрая доставка',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect((await publicPage()).body).toMatchObject({ rating: 4, review_count: 1 });
    // the product's rating is not touched
    const p = await t.ds.getRepository(Product).findOneByOrFail({ id: product.id });
    expect([p.reviewCount, p.rating]).toEqual([0, 0]);

    const again = await post(b, { seller_id: seller.id, rating: 1 });
    expect([again.status, again.body.code]).toEqual([409, 'REVIEW_EXISTS']);
    // a product review by the same buyer is another review
    expect((await post(b, { product_id: product.id, rating: 5 })).status).toBe(201);
    expect((await publicPage()).body).toMatchObject({ rating: 4, review_count: 1 });

    const list = await t.http.get(`${api}?seller_id=${seller.id}`).expect(200);
    expect(list.body).toMatchObject({ total: 1, average_rating: 4 });
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([res.body.id]);
  });

  it('refuses anyone without a delivered fulfillment of the seller, and the seller themselves', async () => {
    const notYet = await buyer('shipped');
    const stranger = await makeUser(t.http, 'customer');
    for (const who of [notYet, stranger]) {
      const res = await post(who, { seller_id: seller.id, rating: 5 });
      expect([res.status, res.body.code]).toEqual([403, 'NOT_A_BUYER']);
    }
    // a delivery of another seller does not count
    const elsewhere = await buyer('delivered', await insertProduct(t.ds, admin.id));
    expect((await post(elsewhere, { seller_id: seller.id, rating: 5 })).status).toBe(403);
    expect((await post(seller, { seller_id: seller.id, rating: 5 })).status).toBe(403);
    expect((await shopRow()).reviewCount).toBe(1);
  });

  it('needs exactly one of product_id and seller_id (400 naming both)', async () => {
    const b = await buyer();
    for (const body of [
      { rating: 5 },
      { product_id: product.id, seller_id: seller.id, rating: 5 },
    ]) {
      const res = await post(b, body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'product_id',
        'seller_id',
      ]);
    }
    expect((await t.http.get(api)).status).toBe(400);
    expect((await post(b, { seller_id: 'not-a-uuid', rating: 5 })).status).toBe(400);
  });

  it('keeps the shop rating exact under 10 concurrent reviews, and through edits and deletes', async () => {
    const before = await shopRow();
    const buyers = await Promise.all(Array.from({ length: 10 }, () => buyer()));
    const ratings = [1, 2, 3, 4, 5, 5, 4, 3, 2, 1];
    const res = await Promise.all(
      buyers.map((b, i) => post(b, { seller_id: seller.id, rating: ratings[i] })),
    );
    expect(res.map((r) => r.status)).toEqual(Array(10).fill(201));
    const count = before.reviewCount + 10;
    const sum = before.ratingSum + 30;
    let shop = await shopRow();
    expect([shop.reviewCount, shop.ratingSum]).toEqual([count, sum]);
    expect(shop.rating).toBeCloseTo(sum / count, 5);

    // an edit moves the sum by the difference; a delete takes the review away
    await t.http
      .put(`${api}/${res[0].body.id}`)
      .set(buyers[0].auth)
      .send({ rating: 5 })
      .expect(200);
    await t.http.delete(`${api}/${res[1].body.id}`).set(buyers[1].auth).expect(204);
    shop = await shopRow();
    expect([shop.reviewCount, shop.ratingSum]).toEqual([count - 1, sum + 4 - 2]);
    expect(shop.rating).toBeCloseTo((sum + 2) / (count - 1), 5);
    const list = await t.http.get(`${api}?seller_id=${seller.id}&page_size=100`).expect(200);
    expect(list.body.total).toBe(count - 1);
    expect(list.body.average_rating).toBe(Math.round(((sum + 2) * 100) / (count - 1)) / 100);
  });
});
