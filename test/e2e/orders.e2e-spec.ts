import { Product } from '../../src/modules/products/product.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { checkout, DEFAULT_DELIVERY } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';

describe('orders (e2e)', () => {
  let t: TestApp;
  let buyer: Actor;
  let seller: Actor;
  let seller2: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    [buyer, seller, seller2] = [
      await makeUser(t.http, 'customer'),
      await makeUser(t.http, 'seller'),
      await makeUser(t.http, 'seller'),
    ];
  });
  afterAll(() => t.close());

  it('checks out a multi-seller cart into one order with a fulfillment per seller', async () => {
    const a = await insertProduct(t.ds, seller.id, { price: 1000.1, quantity: 5 });
    const b = await insertProduct(t.ds, seller2.id, { price: 0.2, quantity: 3 });
    const order = await checkout(
      t.http,
      buyer,
      [
        { product: a, quantity: 2 },
        { product: b, quantity: 1 },
      ],
      { delivery_method: 'express' },
    );
    expect(order.items_total).toBe(2000.4);
    expect(order.delivery_cost).toBe(6000);
    expect(order.total_amount).toBe(8000.4);
    expect(order.fulfillments).toHaveLength(2);
    expect(order.tracking_number).toMatch(/^BB-[A-Z2-9]{12}$/);
    const stock = await t.ds.getRepository(Product).findOneByOrFail({ id: a.id });
    expect(stock.quantity).toBe(3);
    const cart = await t.http.get('/api/v1/cart').set(buyer.auth);
    expect(cart.body.items).toHaveLength(0);
    expect(DEFAULT_DELIVERY.phone).toBe(order.phone);
  });
});
