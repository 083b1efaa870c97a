import { EventEmitter2 } from '@nestjs/event-emitter';

import { PRODUCT_DEACTIVATED } from '../../src/common/events';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { CartItem } from '../../src/modules/cart/cart-item.entity';
import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

const CART = '/api/v1/cart';

describe('cart (e2e)', () => {
  let t: TestApp;
  let buyer: Actor;
  let seller: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    buyer = await makeUser(t.http, 'customer');
    seller = await makeUser(t.http, 'seller');
  });
  afterAll(() => t.close());

  const add = (who: Actor, product_id: string, quantity: number) =>
    t.http.post(`${CART}/items`).set(who.auth).send({ product_id, quantity });

  it('requires a token', async () => {
    expect((await t.http.get(CART)).status).toBe(401);
    expect((await t.http.post(`${CART}/items`).send({})).status).toBe(401);
  });

  it('GET /cart of a new user is empty', async () => {
    const u = await makeUser(t.http, 'customer');
    const res = await t.http.get(CART).set(u.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], total_items: 0, total_amount: 0 });
  });

  it('POST /cart/items answers 201 with the whole cart, merges lines and sums exactly', async () => {
    const u = await makeUser(t.http, 'customer');
    const a = await insertProduct(t.ds, seller.id, { price: 0.1, quantity: 10, name: 'Семечки' });
    const b = await insertProduct(t.ds, seller.id, { price: 0.2, quantity: 10 });
    let res = await add(u, a.id, 1);
    expect(res.status).toBe(201);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      product_id: a.id,
      product: {
        id: a.id,
        name: 'Семечки',
        price: 0.1,
        image_urls: [],
        quantity: 10,
        is_active: true,
      },
      quantity: 1,
      unit_price: 0.1,
      subtotal: 0.1,
    });
    expect(new Date(res.body.items[0].added_at).toISOString()).toBe(res.body.items[0].added_at);
    res = await add(u, b.id, 1);
    expect(res.body.total_amount).toBe(0.3); // not 0.30000000000000004
    res = await add(u, a.id, 2); // the same product adds to its line
    expect(res.status).toBe(201);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items.find((i: any) => i.product_id === a.id).quantity).toBe(3);
    expect(res.body.items.find((i: any) => i.product_id === a.id).subtotal).toBe(0.3);
    expect(res.body.total_items).toBe(4);
    expect(res.body.total_amount).toBe(0.5);
  });

  it('POST /cart/items: more than in stock → 409, also when the line would exceed it', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await insertProduct(t.ds, seller.id, { quantity: 3 });
    let res = await add(u, p.id, 4);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('OUT_OF_STOCK');
    expect(res.body.products[0]).toMatchObject({ product_id: p.id, requested: 4, available: 3 });
    expect((await add(u, p.id, 2)).status).toBe(201);
    res = await add(u, p.id, 2);
    expect(res.status).toBe(409);
    expect(res.body.products[0]).toMatchObject({ requested: 4, available: 3 });
    const cart = await t.http.get(CART).set(u.auth);
    expect(cart.body.items[0].quantity).toBe(2);
    expect((await add(u, p.id, 1)).status).toBe(201);
  });

  it('POST /cart/items: unknown or inactive product → 404', async () => {
    const inactive = await insertProduct(t.ds, seller.id, { isActive: false });
    expect((await add(buyer, inactive.id, 1)).status).toBe(404);
    expect((await add(buyer, '00000000-0000-4000-8000-000000000000', 1)).status).toBe(404);
  });

  it('POST /cart/items: a seller cannot put their own product in the cart → 403', async () => {
    const own = await insertProduct(t.ds, seller.id);
    const res = await add(seller, own.id, 1);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('NOT_A_BUYER');
    const other = await makeUser(t.http, 'seller');
    expect((await add(other, own.id, 1)).status).toBe(201); // another seller may buy it
  });

  it('POST /cart/items: invalid bodies → 400', async () => {
    const p = await insertProduct(t.ds, seller.id);
    for (const body of [
      {},
      { product_id: p.id },
      { product_id: p.id, quantity: 0 },
      { product_id: p.id, quantity: 1.5 },
      { product_id: p.id, quantity: '2' },
      { product_id: 'nope', quantity: 1 },
      { product_id: p.id, quantity: 1, price: 1 },
    ]) {
      const res = await t.http.post(`${CART}/items`).set(buyer.auth).send(body);
      expect(res.status).toBe(400);
    }
  });

  it('PUT /cart/items/{product_id} sets the quantity; above stock → 409; not in cart → 404', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await insertProduct(t.ds, seller.id, { price: 250.5, quantity: 5 });
    await add(u, p.id, 1);
    let res = await t.http.put(`${CART}/items/${p.id}`).set(u.auth).send({ quantity: 4 });
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ quantity: 4, subtotal: 1002 });
    expect(res.body.total_amount).toBe(1002);
    res = await t.http.put(`${CART}/items/${p.id}`).set(u.auth).send({ quantity: 6 });
    expect(res.status).toBe(409);
    expect(res.body.products[0]).toMatchObject({ requested: 6, available: 5 });
    const other = await insertProduct(t.ds, seller.id);
    res = await t.http.put(`${CART}/items/${other.id}`).set(u.auth).send({ quantity: 1 });
    expect(res.status).toBe(404);
    res = await t.http.put(`${CART}/items/${p.id}`).set(u.auth).send({ quantity: 0 });
    expect(res.status).toBe(400);
    res = await t.http.put(`${CART}/items/not-a-uuid`).set(u.auth).send({ quantity: 1 });
    expect(res.status).toBe(400);
    expect((await t.http.get(CART).set(u.auth)).body.items[0].quantity).toBe(4);
  });

  it('PUT on a line whose product became inactive → 409 PRODUCT_UNAVAILABLE', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await insertProduct(t.ds, seller.id, { quantity: 5 });
    await add(u, p.id, 1);
    await t.ds.getRepository(Product).update({ id: p.id }, { isActive: false });
    const res = await t.http.put(`${CART}/items/${p.id}`).set(u.auth).send({ quantity: 2 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('PRODUCT_UNAVAILABLE');
    const cart = await t.http.get(CART).set(u.auth);
    expect(cart.body.items[0].product.is_active).toBe(false);
  });

  it('DELETE /cart/items/{product_id} removes the line; not in cart → 404', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await insertProduct(t.ds, seller.id);
    const q = await insertProduct(t.ds, seller.id);
    await add(u, p.id, 1);
    await add(u, q.id, 2);
    let res = await t.http.delete(`${CART}/items/${p.id}`).set(u.auth);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.product_id)).toEqual([q.id]);
    res = await t.http.delete(`${CART}/items/${p.id}`).set(u.auth);
    expect(res.status).toBe(404);
  });

  it('DELETE /cart empties it, and carts are per user', async () => {
    const u = await makeUser(t.http, 'customer');
    const v = await makeUser(t.http, 'customer');
    const p = await insertProduct(t.ds, seller.id);
    await add(u, p.id, 1);
    await add(v, p.id, 2);
    const res = await t.http.delete(CART).set(u.auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], total_items: 0, total_amount: 0 });
    expect((await t.http.get(CART).set(v.auth)).body.items[0].quantity).toBe(2);
    // another user's line is not reachable
    expect((await t.http.delete(`${CART}/items/${p.id}`).set(u.auth)).status).toBe(404);
  });

  it('a deactivated product leaves every cart (PRODUCT_DEACTIVATED, in the same transaction)', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await insertProduct(t.ds, seller.id);
    const keep = await insertProduct(t.ds, seller.id);
    await add(u, p.id, 1);
    await add(u, keep.id, 1);
    const events = t.app.get(EventEmitter2);
    await t.app.get(UnitOfWork).run(async (em) => {
      await em.update(Product, { id: p.id }, { isActive: false });
      await events.emitAsync(PRODUCT_DEACTIVATED, { em, productId: p.id });
    });
    expect(await t.ds.getRepository(CartItem).countBy({ productId: p.id })).toBe(0);
    const cart = await t.http.get(CART).set(u.auth);
    expect(cart.body.items.map((i: any) => i.product_id)).toEqual([keep.id]);
  });

  it('concurrent adds of one product by one user: one line, quantity = successful adds ≤ stock', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await insertProduct(t.ds, seller.id, { quantity: 7 });
    const results = await Promise.all(Array.from({ length: 12 }, () => add(u, p.id, 1)));
    const ok = results.filter((r) => r.status === 201).length;
    const conflicts = results.filter((r) => r.status === 409).length;
    expect(ok).toBe(7);
    expect(conflicts).toBe(5);
    const lines = await t.ds.getRepository(CartItem).findBy({ userId: u.id, productId: p.id });
    expect(lines).toHaveLength(1);
    expect(lines[0].quantity).toBe(7);
  });

  it('concurrent adds of two-unit steps never exceed the stock', async () => {
    const u = await makeUser(t.http, 'customer');
    const p = await insertProduct(t.ds, seller.id, { quantity: 9 });
    const results = await Promise.all(Array.from({ length: 10 }, () => add(u, p.id, 2)));
    const ok = results.filter((r) => r.status === 201).length;
    expect(ok).toBe(4);
    const line = await t.ds
      .getRepository(CartItem)
      .findOneByOrFail({ userId: u.id, productId: p.id });
    expect(line.quantity).toBe(8);
  });
});
