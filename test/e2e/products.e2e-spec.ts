import { Product } from '../../src/modules/products/product.entity';
import { StockMovement } from '../../src/modules/products/stock-movement.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { Actor, makeUser } from '../factories/users';

describe('products CRUD (e2e)', () => {
  let t: TestApp;
  let admin: Actor;
  let seller: Actor;
  let seller2: Actor;
  let customer: Actor;

  const api = '/api/v1/products';
  const valid = (o: Record<string, unknown> = {}) => ({
    name: 'Кроссовки Nike Air Zoom',
    description: 'Лёгкие беговые кроссовки',
    price: 45990.5,
    quantity: 12,
    category: 'sports',
    image_urls: ['https://cdn.bibarys.kz/p/1.jpg', 'http://img.example.kz/2.png'],
    ...o,
  });
  const create = async (who: Actor = seller, o: Record<string, unknown> = {}) => {
    const res = await t.http.post(api).set(who.auth).send(valid(o));
    expect(res.status).toBe(201);
    return res.body as { id: string; [k: string]: unknown };
  };
  const row = (id: string) => t.ds.getRepository(Product).findOneByOrFail({ id });
  const productCount = () => t.ds.getRepository(Product).count();
  const movements = (productId: string) =>
    t.ds.getRepository(StockMovement).find({ where: { productId }, order: { createdAt: 'ASC' } });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
    seller = await makeUser(t.http, 'seller');
    seller2 = await makeUser(t.http, 'seller');
    customer = await makeUser(t.http, 'customer');
  });
  afterAll(() => t.close());

  describe('POST /products', () => {
    it('lets a seller create a product (201) with the contract fields and an opening stock movement', async () => {
      const res = await t.http.post(api).set(seller.auth).send(valid());
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        seller_id: seller.id,
        name: 'Кроссовки Nike Air Zoom',
        description: 'Лёгкие беговые кроссовки',
        price: 45990.5,
        quantity: 12,
        category: 'sports',
        image_urls: ['https://cdn.bibarys.kz/p/1.jpg', 'http://img.example.kz/2.png'],
        is_active: true,
        rating: 0,
        review_count: 0,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updated_at: expect.any(String),
      });
      const stored = await row(res.body.id);
      expect(stored.price).toBe(4599050);
      expect(stored.nameSearch).toBe('кроссовки nike air zoom');
      expect(stored.searchText).toBe('кроссовки nike air zoom лёгкие беговые кроссовки');
      const ledger = await movements(res.body.id);
      expect(ledger.map((m) => [m.delta, m.reason, m.actorId])).toEqual([
        [12, 'initial', seller.id],
      ]);
    });

    it('lets an admin create a product; image_urls default to none; boundaries are accepted', async () => {
      const body = await create(admin, {
        name: 'Н'.repeat(200),
        description: 'д'.repeat(5000),
        price: 100_000_000,
        quantity: 0,
        image_urls: undefined,
      });
      expect(body).toMatchObject({
        seller_id: admin.id,
        price: 100_000_000,
        quantity: 0,
        image_urls: [],
      });
      expect(await movements(body.id)).toEqual([]); // nothing to record for 0
      const cheap = await create(seller, {
        price: 0.01,
        image_urls: Array.from({ length: 10 }, (_, i) => `https://cdn.bibarys.kz/${i}.jpg`),
      });
      expect(cheap.price).toBe(0.01);
      expect(cheap.image_urls).toHaveLength(10);
    });

    it('accepts a 200-character name that grows when lower-cased (no 500)', async () => {
      const body = await create(seller, { name: 'İ'.repeat(200) });
      expect(body.name).toBe('İ'.repeat(200));
      expect((await row(body.id)).nameSearch.length).toBeLessThanOrEqual(200);
    });

    it('computes money exactly (0.1 + 0.2 style prices stay 2-decimal)', async () => {
      const body = await create(seller, { price: 0.3 });
      expect(body.price).toBe(0.3);
      expect((await row(body.id)).price).toBe(30);
    });

    it('refuses a customer (403) and an anonymous caller (401)', async () => {
      const before = await productCount();
      expect((await t.http.post(api).set(customer.auth).send(valid())).status).toBe(403);
      expect((await t.http.post(api).send(valid())).status).toBe(401);
      expect(await productCount()).toBe(before);
    });

    const invalid: [string, Record<string, unknown>][] = [
      ['price 0', { price: 0 }],
      ['negative price', { price: -5 }],
      ['price above 100,000,000', { price: 100_000_000.01 }],
      ['price with 3 decimals', { price: 10.123 }],
      ['price as a string', { price: '100' }],
      ['price null', { price: null }],
      ['fractional quantity', { quantity: 1.5 }],
      ['negative quantity', { quantity: -1 }],
      ['quantity as a string', { quantity: '3' }],
      ['unknown category', { category: 'weapons' }],
      ['11 image urls', { image_urls: Array.from({ length: 11 }, (_, i) => `https://x.kz/${i}`) }],
      ['javascript: url', { image_urls: ['javascript:alert(1)'] }],
      ['data: url', { image_urls: ['data:image/png;base64,iVBORw0KGgo='] }],
      ['ftp url', { image_urls: ['ftp://files.example.kz/1.jpg'] }],
      ['not a url', { image_urls: ['picture'] }],
      ['image_urls not an array', { image_urls: 'https://x.kz/1.jpg' }],
      ['image_urls null', { image_urls: null }],
      ['empty name', { name: '' }],
      ['blank name', { name: '   ' }],
      ['name of 201 characters', { name: 'a'.repeat(201) }],
      ['description of 5001 characters', { description: 'a'.repeat(5001) }],
      ['missing name', { name: undefined }],
      ['missing price', { price: undefined }],
      ['missing quantity', { quantity: undefined }],
      ['missing category', { category: undefined }],
      ['an unknown field', { seller_id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }],
      ['is_active on create', { is_active: false }],
    ];
    it.each(invalid)('answers 400 for %s and creates nothing', async (_, o) => {
      const before = await productCount();
      const res = await t.http.post(api).set(seller.auth).send(valid(o));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(await productCount()).toBe(before);
    });
  });

  describe('GET /products/{id}', () => {
    let active: { id: string };
    let inactive: { id: string };

    beforeAll(async () => {
      active = await create(seller);
      inactive = await create(seller, { name: 'Скрытый товар' });
      expect((await t.http.delete(`${api}/${inactive.id}`).set(seller.auth)).status).toBe(204);
    });

    it('shows an active product to anyone', async () => {
      const res = await t.http.get(`${api}/${active.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: active.id, seller_id: seller.id, is_active: true });
    });

    it('answers 404 for an unknown product and 400 for a malformed id', async () => {
      expect((await t.http.get(`${api}/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f`)).status).toBe(404);
      expect((await t.http.get(`${api}/not-a-uuid`)).status).toBe(400);
    });

    it('hides an inactive product (404) from everybody but its seller and admins', async () => {
      expect((await t.http.get(`${api}/${inactive.id}`)).status).toBe(404);
      expect((await t.http.get(`${api}/${inactive.id}`).set(customer.auth)).status).toBe(404);
      expect((await t.http.get(`${api}/${inactive.id}`).set(seller2.auth)).status).toBe(404);
      const own = await t.http.get(`${api}/${inactive.id}`).set(seller.auth);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: inactive.id, is_active: false });
      const byAdmin = await t.http.get(`${api}/${inactive.id}`).set(admin.auth);
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.is_active).toBe(false);
    });

    it('treats an invalid token on this public route as anonymous', async () => {
      const bad = { Authorization: 'Bearer not-a-token' };
      expect((await t.http.get(`${api}/${active.id}`).set(bad)).status).toBe(200);
      expect((await t.http.get(`${api}/${inactive.id}`).set(bad)).status).toBe(404);
    });
  });

  describe('PUT /products/{id}', () => {
    let p: { id: string };
    beforeEach(async () => {
      p = await create(seller);
    });

    it('lets the owner edit any subset; the search columns follow name and description', async () => {
      const res = await t.http
        .put(`${api}/${p.id}`)
        .set(seller.auth)
        .send({ name: '  Ботинки Зимние  ', price: 19999.99, category: 'clothing' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: p.id,
        name: 'Ботинки Зимние',
        description: 'Лёгкие беговые кроссовки',
        price: 19999.99,
        category: 'clothing',
        quantity: 12,
      });
      expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(
        Date.parse(res.body.created_at),
      );
      let stored = await row(p.id);
      expect(stored.nameSearch).toBe('ботинки зимние');
      expect(stored.searchText).toBe('ботинки зимние лёгкие беговые кроссовки');

      const res2 = await t.http
        .put(`${api}/${p.id}`)
        .set(seller.auth)
        .send({ description: 'Тёплые', image_urls: [] });
      expect(res2.status).toBe(200);
      expect(res2.body).toMatchObject({ name: 'Ботинки Зимние', image_urls: [] });
      stored = await row(p.id);
      expect(stored.searchText).toBe('ботинки зимние тёплые');
      expect(stored.nameSearch).toBe('ботинки зимние');
    });

    it('records a quantity change as an adjustment in the stock ledger', async () => {
      const res = await t.http.put(`${api}/${p.id}`).set(seller.auth).send({ quantity: 5 });
      expect(res.status).toBe(200);
      expect(res.body.quantity).toBe(5);
      const ledger = await movements(p.id);
      expect(ledger.map((m) => [m.delta, m.reason])).toEqual([
        [12, 'initial'],
        [-7, 'adjustment'],
      ]);
      expect(ledger.reduce((s, m) => s + m.delta, 0)).toBe(5);
      // the same quantity again records nothing
      await t.http.put(`${api}/${p.id}`).set(seller.auth).send({ quantity: 5 }).expect(200);
      expect(await movements(p.id)).toHaveLength(2);
    });

    it('lets an admin edit any product', async () => {
      const res = await t.http.put(`${api}/${p.id}`).set(admin.auth).send({ price: 100 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ price: 100, seller_id: seller.id });
    });

    it('answers 404 to another seller, 403 to a customer, 401 anonymously, and changes nothing', async () => {
      expect((await t.http.put(`${api}/${p.id}`).set(seller2.auth).send({ price: 1 })).status).toBe(
        404,
      );
      expect(
        (await t.http.put(`${api}/${p.id}`).set(customer.auth).send({ price: 1 })).status,
      ).toBe(403);
      expect((await t.http.put(`${api}/${p.id}`).send({ price: 1 })).status).toBe(401);
      expect((await row(p.id)).price).toBe(4599050);
    });

    it('answers 404 for an unknown product and 400 for a malformed id', async () => {
      const unknown = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
      expect(
        (await t.http.put(`${api}/${unknown}`).set(seller.auth).send({ price: 1 })).status,
      ).toBe(404);
      expect((await t.http.put(`${api}/xyz`).set(seller.auth).send({ price: 1 })).status).toBe(400);
    });

    it.each([
      ['price 0', { price: 0 }],
      ['price too high', { price: 100_000_001 }],
      ['price 3 decimals', { price: 1.001 }],
      ['name null', { name: null }],
      ['empty name', { name: '' }],
      ['description null', { description: null }],
      ['quantity null', { quantity: null }],
      ['quantity -1', { quantity: -1 }],
      ['category null', { category: null }],
      ['bad category', { category: 'cars' }],
      ['javascript: url', { image_urls: ['javascript:alert(1)'] }],
      ['is_active as a string', { is_active: 'no' }],
      ['an unknown field', { seller_id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' }],
      ['rating (not editable)', { rating: 5 }],
    ])('answers 400 for %s and changes nothing', async (_, body) => {
      const before = await row(p.id);
      const res = await t.http.put(`${api}/${p.id}`).set(seller.auth).send(body);
      expect(res.status).toBe(400);
      const after = await row(p.id);
      expect(after).toEqual(before);
    });

    it('deactivates with is_active false and puts back on sale with true', async () => {
      const off = await t.http.put(`${api}/${p.id}`).set(seller.auth).send({ is_active: false });
      expect(off.status).toBe(200);
      expect(off.body.is_active).toBe(false);
      expect((await t.http.get(`${api}/${p.id}`)).status).toBe(404);
      const on = await t.http.put(`${api}/${p.id}`).set(seller.auth).send({ is_active: true });
      expect(on.status).toBe(200);
      expect(on.body.is_active).toBe(true);
      expect((await t.http.get(`${api}/${p.id}`)).status).toBe(200);
    });
  });

  describe('DELETE /products/{id}', () => {
    it('deactivates (204): the product stays for its seller and admins but leaves the catalog', async () => {
      const p = await create(seller, { name: 'Удаляемый чайник' });
      const res = await t.http.delete(`${api}/${p.id}`).set(seller.auth);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const stored = await row(p.id);
      expect(stored.isActive).toBe(false);
      expect((await t.http.get(`${api}/${p.id}`)).status).toBe(404);
      const list = await t.http.get(api).query({ search: 'удаляемый чайник' });
      expect(list.body.total).toBe(0);
      // repeating it is harmless
      expect((await t.http.delete(`${api}/${p.id}`).set(seller.auth)).status).toBe(204);
    });

    it("lets an admin delete anyone's product", async () => {
      const p = await create(seller2);
      expect((await t.http.delete(`${api}/${p.id}`).set(admin.auth)).status).toBe(204);
      expect((await row(p.id)).isActive).toBe(false);
    });

    it('answers 404 to another seller, 403 to a customer, 401 anonymously; the product stays', async () => {
      const p = await create(seller);
      expect((await t.http.delete(`${api}/${p.id}`).set(seller2.auth)).status).toBe(404);
      expect((await t.http.delete(`${api}/${p.id}`).set(customer.auth)).status).toBe(403);
      expect((await t.http.delete(`${api}/${p.id}`)).status).toBe(401);
      expect((await row(p.id)).isActive).toBe(true);
    });

    it('answers 404 for an unknown product and 400 for a malformed id', async () => {
      const unknown = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
      expect((await t.http.delete(`${api}/${unknown}`).set(seller.auth)).status).toBe(404);
      expect((await t.http.delete(`${api}/1`).set(seller.auth)).status).toBe(400);
    });

    it('takes the product out of every wishlist and cart, and leaves other lines alone', async () => {
      const p = await create(seller);
      const other = await create(seller);
      const customer2 = await makeUser(t.http, 'customer');
      for (const who of [customer, customer2]) {
        for (const id of [p.id, other.id]) {
          await t.http.post('/api/v1/wishlist/items').set(who.auth).send({ product_id: id });
        }
        await t.ds.query(
          t.db === 'postgres'
            ? 'INSERT INTO cart_items (id, user_id, product_id, quantity) VALUES (gen_random_uuid(), $1, $2, 1)'
            : 'INSERT INTO cart_items (id, user_id, product_id, quantity) VALUES (lower(hex(randomblob(16))), ?, ?, 1)',
          [who.id, p.id],
        );
      }
      const countLines = async (table: string, id: string) =>
        Number(
          (
            await t.ds.query(
              `SELECT COUNT(*) AS n FROM ${table} WHERE product_id = ${t.db === 'postgres' ? '$1' : '?'}`,
              [id],
            )
          )[0].n,
        );
      expect(await countLines('wishlist_items', p.id)).toBe(2);
      expect(await countLines('cart_items', p.id)).toBe(2);

      expect((await t.http.delete(`${api}/${p.id}`).set(seller.auth)).status).toBe(204);

      expect(await countLines('wishlist_items', p.id)).toBe(0);
      expect(await countLines('cart_items', p.id)).toBe(0);
      expect(await countLines('wishlist_items', other.id)).toBe(2);
      const wl = await t.http.get('/api/v1/wishlist').set(customer.auth);
      expect(wl.body.items.map((i: { product_id: string }) => i.product_id)).not.toContain(p.id);
      expect(wl.body.items.map((i: { product_id: string }) => i.product_id)).toContain(other.id);
      expect((await t.http.get(`/api/v1/wishlist/items/${p.id}`).set(customer.auth)).status).toBe(
        404,
      );
    });

    it('also takes the product out of wishlists when PUT sets is_active false', async () => {
      const p = await create(seller);
      await t.http
        .post('/api/v1/wishlist/items')
        .set(customer.auth)
        .send({ product_id: p.id })
        .expect(201);
      await t.http.put(`${api}/${p.id}`).set(seller.auth).send({ is_active: false }).expect(200);
      expect((await t.http.get(`/api/v1/wishlist/items/${p.id}`).set(customer.auth)).status).toBe(
        404,
      );
      // back on sale, it does not come back by itself
      await t.http.put(`${api}/${p.id}`).set(seller.auth).send({ is_active: true }).expect(200);
      expect((await t.http.get(`/api/v1/wishlist/items/${p.id}`).set(customer.auth)).status).toBe(
        404,
      );
    });
  });

  describe('GET /seller/products/{id}/stock-movements', () => {
    const url = (id: string) => `/api/v1/seller/products/${id}/stock-movements`;

    it('shows the ledger newest first to the seller, paginated', async () => {
      const p = await create(seller, { quantity: 10 });
      await t.http.put(`${api}/${p.id}`).set(seller.auth).send({ quantity: 4 }).expect(200);
      await t.http.put(`${api}/${p.id}`).set(seller.auth).send({ quantity: 9 }).expect(200);
      const res = await t.http.get(url(p.id)).set(seller.auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, page: 1, page_size: 20, pages: 1 });
      expect(res.body.items.map((m: { delta: number }) => m.delta)).toEqual([5, -6, 10]);
      expect(res.body.items[2]).toEqual({
        id: expect.any(String),
        product_id: p.id,
        delta: 10,
        reason: 'initial',
        order_id: null,
        actor_id: seller.id,
        created_at: expect.stringMatching(/Z$/),
      });
      expect(res.body.items[0].reason).toBe('adjustment');

      const page2 = await t.http.get(url(p.id)).query({ page: 2, page_size: 2 }).set(seller.auth);
      expect(page2.body).toMatchObject({ total: 3, page: 2, page_size: 2, pages: 2 });
      expect(page2.body.items.map((m: { delta: number }) => m.delta)).toEqual([10]);
      expect((await t.http.get(url(p.id)).set(admin.auth)).body.total).toBe(3);
    });

    it("answers 404 for another seller's product, 403 to a customer, 401 anonymously", async () => {
      const p = await create(seller);
      expect((await t.http.get(url(p.id)).set(seller2.auth)).status).toBe(404);
      expect((await t.http.get(url(p.id)).set(customer.auth)).status).toBe(403);
      expect((await t.http.get(url(p.id))).status).toBe(401);
      expect((await t.http.get(url(p.id)).query({ page_size: 101 }).set(seller.auth)).status).toBe(
        400,
      );
    });
  });
});
