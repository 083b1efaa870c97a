import { Product } from '../../src/modules/products/product.entity';
import { WishlistItem } from '../../src/modules/wishlist/wishlist-item.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

describe('wishlist (e2e)', () => {
  let t: TestApp;
  let seller: Actor;
  let alice: Actor;
  let bob: Actor;
  let kettle: Product;
  let phone: Product;
  let hidden: Product;

  const api = '/api/v1/wishlist';
  const unknown = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  const add = (who: Actor, productId: string) =>
    t.http.post(`${api}/items`).set(who.auth).send({ product_id: productId });
  const lines = () => t.ds.getRepository(WishlistItem).count();

  beforeAll(async () => {
    t = await createTestApp();
    seller = await makeUser(t.http, 'seller');
    alice = await makeUser(t.http, 'customer');
    bob = await makeUser(t.http, 'customer');
    kettle = await insertProduct(t.ds, seller.id, { name: 'Чайник', price: 12990.5, quantity: 4 });
    phone = await insertProduct(t.ds, seller.id, { name: 'Смартфон', price: 189990 });
    hidden = await insertProduct(t.ds, seller.id, { name: 'Снят с продажи', isActive: false });
  });
  afterAll(() => t.close());

  describe('POST /wishlist/items', () => {
    it('adds a product (201) with its summary', async () => {
      const res = await add(alice, kettle.id);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        product_id: kettle.id,
        product: expect.objectContaining({
          id: kettle.id,
          seller_id: seller.id,
          name: 'Чайник',
          price: 12990.5,
          quantity: 4,
          is_active: true,
          rating: 0,
          review_count: 0,
        }),
        added_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      });
    });

    it('answers 200 with the same item when it is already there, adding no line', async () => {
      const before = await lines();
      const first = await t.http.get(`${api}/items/${kettle.id}`).set(alice.auth);
      const again = await add(alice, kettle.id);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await lines()).toBe(before);
    });

    it('stays one line when the same product is added concurrently', async () => {
      const results = await Promise.all([
        add(bob, phone.id),
        add(bob, phone.id),
        add(bob, phone.id),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
      expect(new Set(results.map((r) => r.body.added_at)).size).toBe(1);
      expect(
        await t.ds.getRepository(WishlistItem).countBy({ userId: bob.id, productId: phone.id }),
      ).toBe(1);
    });

    it('answers 404 for an unknown or inactive product', async () => {
      const before = await lines();
      expect((await add(alice, unknown)).status).toBe(404);
      const res = await add(alice, hidden.id);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(await lines()).toBe(before);
    });

    it('answers 400 for a bad body and 401 without a token', async () => {
      expect((await add(alice, 'not-a-uuid')).status).toBe(400);
      expect((await t.http.post(`${api}/items`).set(alice.auth).send({})).status).toBe(400);
      expect(
        (
          await t.http
            .post(`${api}/items`)
            .set(alice.auth)
            .send({ product_id: kettle.id, note: 'x' })
        ).status,
      ).toBe(400);
      expect((await t.http.post(`${api}/items`).send({ product_id: kettle.id })).status).toBe(401);
    });
  });

  describe('GET /wishlist', () => {
    it('lists own items newest first with product summaries and a total', async () => {
      await add(alice, phone.id);
      const res = await t.http.get(api).set(alice.auth);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      expect(res.body.items.map((i: { product_id: string }) => i.product_id)).toEqual([
        phone.id,
        kettle.id,
      ]);
      expect(res.body.items[0].product).toMatchObject({ name: 'Смартфон', price: 189990 });
      expect(Object.keys(res.body.items[0]).sort()).toEqual(['added_at', 'product', 'product_id']);
    });

    it('is private: each user sees only their own lines', async () => {
      const res = await t.http.get(api).set(bob.auth);
      expect(res.body).toMatchObject({ total: 1 });
      expect(res.body.items[0].product_id).toBe(phone.id);
      const fresh = await makeUser(t.http, 'customer');
      expect((await t.http.get(api).set(fresh.auth)).body).toEqual({ items: [], total: 0 });
    });

    it('answers 401 without a token', async () => {
      expect((await t.http.get(api)).status).toBe(401);
    });

    it('lets a seller keep a wishlist too', async () => {
      const other = await makeUser(t.http, 'seller');
      expect((await add(other, kettle.id)).status).toBe(201);
      expect((await t.http.get(api).set(other.auth)).body.total).toBe(1);
    });
  });

  describe('GET /wishlist/items/{product_id}', () => {
    it('answers 200 with the item when it is in the wishlist', async () => {
      const res = await t.http.get(`${api}/items/${kettle.id}`).set(alice.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ product_id: kettle.id, product: { id: kettle.id } });
    });

    it("answers 404 when it is not in the caller's wishlist (even if in another's)", async () => {
      expect((await t.http.get(`${api}/items/${kettle.id}`).set(bob.auth)).status).toBe(404);
      expect((await t.http.get(`${api}/items/${unknown}`).set(alice.auth)).status).toBe(404);
    });

    it('answers 400 for a malformed id and 401 without a token', async () => {
      expect((await t.http.get(`${api}/items/abc`).set(alice.auth)).status).toBe(400);
      expect((await t.http.get(`${api}/items/${kettle.id}`)).status).toBe(401);
    });
  });

  describe('DELETE /wishlist/items/{product_id}', () => {
    it("answers 404 for another user's line and leaves it", async () => {
      expect((await t.http.delete(`${api}/items/${kettle.id}`).set(bob.auth)).status).toBe(404);
      expect((await t.http.get(`${api}/items/${kettle.id}`).set(alice.auth)).status).toBe(200);
    });

    it('removes (204), then answers 404 for the same line', async () => {
      const res = await t.http.delete(`${api}/items/${kettle.id}`).set(alice.auth);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect((await t.http.get(`${api}/items/${kettle.id}`).set(alice.auth)).status).toBe(404);
      expect((await t.http.delete(`${api}/items/${kettle.id}`).set(alice.auth)).status).toBe(404);
      const left = await t.http.get(api).set(alice.auth);
      expect(left.body.items.map((i: { product_id: string }) => i.product_id)).toEqual([phone.id]);
    });

    it('answers 400 for a malformed id and 401 without a token', async () => {
      expect((await t.http.delete(`${api}/items/abc`).set(alice.auth)).status).toBe(400);
      expect((await t.http.delete(`${api}/items/${phone.id}`)).status).toBe(401);
    });
  });

  describe('a deleted product', () => {
    it('leaves every wishlist', async () => {
      await add(alice, kettle.id);
      await add(bob, kettle.id);
      const res = await t.http.delete(`/api/v1/products/${kettle.id}`).set(seller.auth);
      expect(res.status).toBe(204);
      for (const who of [alice, bob]) {
        const wl = await t.http.get(api).set(who.auth);
        expect(wl.body.items.map((i: { product_id: string }) => i.product_id)).not.toContain(
          kettle.id,
        );
        expect((await t.http.get(`${api}/items/${kettle.id}`).set(who.auth)).status).toBe(404);
      }
      expect(await t.ds.getRepository(WishlistItem).countBy({ productId: kettle.id })).toBe(0);
      expect((await add(alice, kettle.id)).status).toBe(404);
    });
  });
});
