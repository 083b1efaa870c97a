import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { DEFAULT_DELIVERY } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

const LEGAL = {
  legal_form: 'too',
  bin_iin: '971240001315', // Kaspi Bank JSC
  iban: 'KZ86125KZT5004100100',
  bik: 'CASPKZKA',
  kbe: '17',
};

/**
 * A shop's standing takes effect on the very next request: the catalog (listing, search, filters,
 * totals, the product page — cached answers and the anonymous fast path included), carts,
 * checkout and the wishlist; in both approval modes.
 */
describe.each(['auto', 'manual'] as const)(
  'shop standing with SELLER_APPROVAL=%s (e2e)',
  (mode) => {
    let t: TestApp;
    let admin: Actor;
    let customer: Actor;
    let seller: Actor;
    let other: Actor;
    let product: Product;
    let otherProduct: Product;
    let n = 0;

    const decide = (sellerId: string, action: string, reason?: string) => {
      const req = t.http.put(`/api/v1/admin/sellers/${sellerId}/${action}`).set(admin.auth);
      return (reason ? req.send({ reason }) : req).expect(200);
    };

    /** A seller with a complete shop, submitted and (unless `pending`) approved. */
    async function sellerWithShop(pending = false): Promise<Actor> {
      const s = await makeUser(t.http, 'seller');
      await t.http
        .put('/api/v1/seller/shop')
        .set(s.auth)
        .send({ name: `Магазин ${mode} ${++n}`, ...LEGAL })
        .expect(200);
      await t.http.post('/api/v1/seller/shop/submit').set(s.auth).expect(200);
      if (!pending) await decide(s.id, 'approve');
      return s;
    }

    const get = (url: string, who?: Actor) => {
      const req = t.http.get(`/api/v1${url}`);
      return who ? req.set(who.auth) : req;
    };
    /** GET twice (the second must come from the cache), for the anonymous and a signed-in reader. */
    const warm = async (url: string) => {
      for (const who of [undefined, customer]) {
        await get(url, who);
        expect((await get(url, who)).headers['x-cache']).toBe('hit');
      }
    };
    const LISTINGS = (name: string) => [
      '/products',
      '/products?page_size=100',
      `/products?search=${encodeURIComponent(name)}`,
      '/products?category=books&sort=price_asc',
      '/products?min_price=10&max_price=100000',
    ];
    /** What every listing shows of the two products, for both readers, and the product pages. */
    async function shown(): Promise<{ seller: boolean; other: boolean }[]> {
      const seen = [];
      for (const who of [undefined, customer]) {
        for (const url of LISTINGS('Уникальный')) {
          const res = await get(url, who).expect(200);
          const ids = res.body.items.map((p: { id: string }) => p.id);
          // the total counts what the page shows (both products are the catalog's only ones)
          expect(res.body.total).toBe(ids.length);
          seen.push({ seller: ids.includes(product.id), other: ids.includes(otherProduct.id) });
        }
        const page = await get(`/products/${product.id}`, who);
        seen.push({ seller: page.status === 200, other: true });
        if (page.status !== 200) expect(page.status).toBe(404);
      }
      return seen;
    }
    const all = (seller: boolean) => Array(12).fill({ seller, other: true });

    beforeAll(async () => {
      t = await createTestApp({ SELLER_APPROVAL: mode });
      admin = await makeUser(t.http, 'admin');
      customer = await makeUser(t.http, 'customer');
      seller = await sellerWithShop();
      other = await sellerWithShop();
      product = await insertProduct(t.ds, seller.id, {
        name: 'Уникальный роман',
        category: 'books',
        price: 500,
      });
      otherProduct = await insertProduct(t.ds, other.id, {
        name: 'Уникальный учебник',
        category: 'books',
        price: 700,
      });
    });
    afterAll(() => t.close());

    it('suspension hides the products on the very next request, cache warm; reinstating brings them back', async () => {
      for (const url of [...LISTINGS('Уникальный'), `/products/${product.id}`]) await warm(url);
      expect(await shown()).toEqual(all(true));

      await decide(seller.id, 'suspend', 'Проверка документов');
      expect(await shown()).toEqual(all(false));
      // its seller and admins still see it by id (like an inactive product)
      expect((await get(`/products/${product.id}`, seller)).status).toBe(200);
      expect((await get(`/products/${product.id}`, admin)).status).toBe(200);
      // and the cache kept nothing of it meanwhile
      for (const url of LISTINGS('Уникальный')) await warm(url);
      expect(await shown()).toEqual(all(false));

      await decide(seller.id, 'reinstate');
      expect(await shown()).toEqual(all(true));
    });

    it('keeps a hidden seller’s cart line (inactive), refuses adding it (404) and checkout (409 naming it)', async () => {
      const buyer = await makeUser(t.http, 'customer');
      const add = (p: Product, quantity = 1) =>
        t.http.post('/api/v1/cart/items').set(buyer.auth).send({ product_id: p.id, quantity });
      await add(product).expect(201);
      await add(otherProduct).expect(201);
      await decide(seller.id, 'suspend', 'Жалобы покупателей');

      const cart = await t.http.get('/api/v1/cart').set(buyer.auth).expect(200);
      expect(cart.body.items.map((i: any) => [i.product_id, i.product.is_active])).toEqual([
        [product.id, false],
        [otherProduct.id, true],
      ]);
      expect((await add(product)).status).toBe(404);
      const changed = await t.http
        .put(`/api/v1/cart/items/${product.id}`)
        .set(buyer.auth)
        .send({ quantity: 2 });
      expect([changed.status, changed.body.code]).toEqual([409, 'PRODUCT_UNAVAILABLE']);

      const order = await t.http.post('/api/v1/orders').set(buyer.auth).send(DEFAULT_DELIVERY);
      expect(order.status).toBe(409);
      expect(order.body.code).toBe('PRODUCT_UNAVAILABLE');
      expect(order.body.products).toEqual([
        expect.objectContaining({ product_id: product.id, is_active: false, available: 0 }),
      ]);
      const stock = await t.ds.getRepository(Product).findOneByOrFail({ id: otherProduct.id });
      expect(stock.quantity).toBe(otherProduct.quantity); // nothing changed
      expect((await t.http.get('/api/v1/cart').set(buyer.auth)).body.items).toHaveLength(2);

      await decide(seller.id, 'reinstate');
      expect(
        (await t.http.get('/api/v1/cart').set(buyer.auth)).body.items[0].product.is_active,
      ).toBe(true);
      expect(
        (await t.http.post('/api/v1/orders').set(buyer.auth).send(DEFAULT_DELIVERY)).status,
      ).toBe(201);
    });

    it('shows a hidden seller’s product in the wishlist as not active, and refuses adding it', async () => {
      const fan = await makeUser(t.http, 'customer');
      const add = (p: Product) =>
        t.http.post('/api/v1/wishlist/items').set(fan.auth).send({ product_id: p.id });
      expect((await add(product)).status).toBe(201);
      await decide(seller.id, 'suspend', 'Пауза');
      const list = await t.http.get('/api/v1/wishlist').set(fan.auth).expect(200);
      expect(list.body.items.map((i: any) => [i.product_id, i.product.is_active])).toEqual([
        [product.id, false],
      ]);
      const one = await t.http.get(`/api/v1/wishlist/items/${product.id}`).set(fan.auth);
      expect(one.body.product.is_active).toBe(false);
      expect((await add(otherProduct)).status).toBe(201);
      await t.http.delete(`/api/v1/wishlist/items/${product.id}`).set(fan.auth).expect(204);
      expect((await add(product)).status).toBe(404);
      await decide(seller.id, 'reinstate');
      expect((await add(product)).status).toBe(201);
      const back = await t.http.get('/api/v1/wishlist').set(fan.auth);
      expect(back.body.items.every((i: any) => i.product.is_active)).toBe(true);
    });

    it('on holiday the products stay listed, but new or larger cart lines are 409 SHOP_ON_HOLIDAY', async () => {
      const buyer = await makeUser(t.http, 'customer');
      const add = (p: Product, quantity = 1) =>
        t.http.post('/api/v1/cart/items').set(buyer.auth).send({ product_id: p.id, quantity });
      const setLine = (quantity: number) =>
        t.http.put(`/api/v1/cart/items/${product.id}`).set(buyer.auth).send({ quantity });
      await add(product, 2).expect(201);
      await warm('/products');
      const holiday = (on: boolean) =>
        t.http
          .put('/api/v1/seller/shop/holiday')
          .set(seller.auth)
          .send({ holiday: on })
          .expect(200);
      await holiday(true);

      expect(await shown()).toEqual(all(true));
      const refused = await add(product);
      expect([refused.status, refused.body.code]).toEqual([409, 'SHOP_ON_HOLIDAY']);
      expect((await setLine(3)).body.code).toBe('SHOP_ON_HOLIDAY');
      expect((await setLine(1)).status).toBe(200); // a smaller line is fine
      expect((await add(otherProduct)).status).toBe(201); // another shop is not on holiday

      await holiday(false);
      expect((await add(product)).status).toBe(201);
      expect((await t.http.get('/api/v1/cart').set(buyer.auth)).body.items[0].quantity).toBe(2);
    });

    if (mode === 'manual') {
      it('a shop never approved is hidden until approved (the next request sees it)', async () => {
        const newcomer = await sellerWithShop(true);
        const p = await insertProduct(t.ds, newcomer.id, { name: 'Новинка' });
        await warm('/products?search=Новинка');
        expect((await get('/products?search=Новинка')).body).toMatchObject({ total: 0, items: [] });
        expect((await get(`/products/${p.id}`)).status).toBe(404);
        const buyer = await makeUser(t.http, 'customer');
        const add = () =>
          t.http.post('/api/v1/cart/items').set(buyer.auth).send({ product_id: p.id, quantity: 1 });
        expect((await add()).status).toBe(404);

        await decide(newcomer.id, 'approve');
        for (const who of [undefined, customer]) {
          const res = await get('/products?search=Новинка', who);
          expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([p.id]);
          expect((await get(`/products/${p.id}`, who)).status).toBe(200);
        }
        expect((await add()).status).toBe(201);
      });

      it('a seller without any shop sells nothing', async () => {
        const bare = await makeUser(t.http, 'seller');
        const p = await insertProduct(t.ds, bare.id, { name: 'Безымянный' });
        expect((await get('/products?search=Безымянный')).body.total).toBe(0);
        expect((await get(`/products/${p.id}`)).status).toBe(404);
      });
    }
  },
);
