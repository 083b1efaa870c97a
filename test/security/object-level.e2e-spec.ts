import { createTestApp, TestApp } from '../create-test-app';
import { checkout } from '../factories/orders';
import { pay } from '../factories/payments';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

/**
 * OWASP API1 (broken object level authorization): for every route that takes an id, a user who
 * does not own the object reads, changes, cancels, pays or deletes it → 404 (403 where the
 * contract says so), and the object is unchanged afterwards.
 */
describe('object level authorization (OWASP API1)', () => {
  let t: TestApp;
  let owner: Actor;
  let intruder: Actor;
  let seller: Actor;
  let otherSeller: Actor;
  let admin: Actor;
  let productId: string;
  let orderId: string;
  let paidOrderId: string;
  let paymentId: string;
  let reviewId: string;

  const snapshot = async () => {
    const [order, paid, payment, reviews, cart, wish, product] = await Promise.all([
      t.http.get(`/api/v1/orders/${orderId}`).set(owner.auth),
      t.http.get(`/api/v1/orders/${paidOrderId}`).set(owner.auth),
      t.http.get(`/api/v1/payments/${paymentId}`).set(owner.auth),
      t.http.get(`/api/v1/reviews?product_id=${productId}`),
      t.http.get('/api/v1/cart').set(owner.auth),
      t.http.get('/api/v1/wishlist').set(owner.auth),
      t.http.get(`/api/v1/products/${productId}`),
    ]);
    return JSON.stringify([
      order.body,
      paid.body,
      payment.body,
      reviews.body,
      cart.body,
      wish.body,
      product.body,
    ]);
  };

  beforeAll(async () => {
    t = await createTestApp();
    [owner, intruder, seller, otherSeller, admin] = await Promise.all([
      makeUser(t.http, 'customer'),
      makeUser(t.http, 'customer'),
      makeUser(t.http, 'seller'),
      makeUser(t.http, 'seller'),
      makeUser(t.http, 'admin'),
    ]);
    const product = await insertProduct(t.ds, seller.id, { price: 5000, quantity: 100 });
    productId = product.id;
    // a delivered, paid order (so the owner can review), a pending one, a cart line and a wishlist item
    const delivered = await checkout(t.http, owner, [{ product, quantity: 1 }]);
    paidOrderId = delivered.id;
    const payment = await pay(t.http, owner, paidOrderId, 'card');
    expect(payment.status).toBe(201);
    paymentId = payment.body.id;
    for (const status of ['processing', 'shipped', 'delivered']) {
      const res = await t.http
        .put(`/api/v1/orders/${paidOrderId}/status`)
        .set(seller.auth)
        .send({ status });
      expect(res.status).toBe(200);
    }
    const review = await t.http
      .post('/api/v1/reviews')
      .set(owner.auth)
      .send({ product_id: productId, rating: 5, comment: 'Отлично' });
    expect(review.status).toBe(201);
    reviewId = review.body.id;
    orderId = (await checkout(t.http, owner, [{ product, quantity: 2 }])).id;
    expect(
      (
        await t.http
          .post('/api/v1/cart/items')
          .set(owner.auth)
          .send({ product_id: productId, quantity: 1 })
      ).status,
    ).toBe(201);
    expect(
      (await t.http.post('/api/v1/wishlist/items').set(owner.auth).send({ product_id: productId }))
        .status,
    ).toBe(201);
  });
  afterAll(() => t.close());

  it("refuses every access to another user's objects with 404 and changes nothing", async () => {
    const before = await snapshot();
    const attempts: [Actor, string, string, Record<string, unknown>?][] = [
      [intruder, 'get', `/api/v1/orders/${orderId}`],
      [intruder, 'put', `/api/v1/orders/${orderId}/cancel`],
      [otherSeller, 'get', `/api/v1/orders/${orderId}`],
      [otherSeller, 'put', `/api/v1/orders/${orderId}/status`, { status: 'confirmed' }],
      [otherSeller, 'put', `/api/v1/orders/${orderId}/cancel`],
      [intruder, 'get', `/api/v1/payments/${paymentId}`],
      [otherSeller, 'get', `/api/v1/payments/${paymentId}`],
      [seller, 'get', `/api/v1/payments/${paymentId}`],
      [intruder, 'get', `/api/v1/payments/order/${paidOrderId}`],
      [intruder, 'post', '/api/v1/payments', { order_id: orderId, payment_method: 'card' }],
      [intruder, 'put', `/api/v1/reviews/${reviewId}`, { rating: 1 }],
      [intruder, 'delete', `/api/v1/reviews/${reviewId}`],
      [seller, 'put', `/api/v1/reviews/${reviewId}`, { rating: 1 }],
      [intruder, 'put', `/api/v1/cart/items/${productId}`, { quantity: 3 }],
      [intruder, 'delete', `/api/v1/cart/items/${productId}`],
      [intruder, 'get', `/api/v1/wishlist/items/${productId}`],
      [intruder, 'delete', `/api/v1/wishlist/items/${productId}`],
      [otherSeller, 'put', `/api/v1/products/${productId}`, { price: 1 }],
      [otherSeller, 'delete', `/api/v1/products/${productId}`],
      [otherSeller, 'get', `/api/v1/seller/products/${productId}/stock-movements`],
    ];
    const wrong: string[] = [];
    for (const [who, method, url, body] of attempts) {
      let req = (t.http as any)[method](url).set(who.auth);
      if (body) req = req.send(body);
      const res = await req;
      if (res.status !== 404)
        wrong.push(
          `${who.role} ${method.toUpperCase()} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 100)}`,
        );
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('lets the owners and admins do what the intruders could not (the ids are real)', async () => {
    expect((await t.http.get(`/api/v1/orders/${orderId}`).set(owner.auth)).status).toBe(200);
    expect((await t.http.get(`/api/v1/orders/${orderId}`).set(admin.auth)).status).toBe(200);
    expect((await t.http.get(`/api/v1/orders/${orderId}`).set(seller.auth)).status).toBe(200);
    expect((await t.http.get(`/api/v1/payments/${paymentId}`).set(admin.auth)).status).toBe(200);
    expect((await t.http.get(`/api/v1/wishlist/items/${productId}`).set(owner.auth)).status).toBe(
      200,
    );
    expect(
      (await t.http.get(`/api/v1/seller/products/${productId}/stock-movements`).set(seller.auth))
        .status,
    ).toBe(200);
    expect(
      (await t.http.put(`/api/v1/reviews/${reviewId}`).set(owner.auth).send({ rating: 4 })).status,
    ).toBe(200);
    expect((await t.http.put(`/api/v1/orders/${orderId}/cancel`).set(owner.auth)).status).toBe(200);
  });

  it("keeps one user out of another user's lists", async () => {
    const orders = await t.http.get('/api/v1/orders').set(intruder.auth);
    expect(orders.status).toBe(200);
    expect(orders.body.total).toBe(0);
    const sellerOrders = await t.http.get('/api/v1/seller/orders').set(otherSeller.auth);
    expect(sellerOrders.body.total).toBe(0);
    const cart = await t.http.get('/api/v1/cart').set(intruder.auth);
    expect(cart.body.items).toEqual([]);
    const wish = await t.http.get('/api/v1/wishlist').set(intruder.auth);
    expect(wish.body.items).toEqual([]);
  });
});
