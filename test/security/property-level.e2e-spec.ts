import { createTestApp, TestApp } from '../create-test-app';
import { checkout } from '../factories/orders';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';
import { fillPath, openApiOf, operationsOf, resolve } from './openapi';

/**
 * OWASP API3 (broken object property level authorization): mass assignment of privileged fields
 * on every create and update body is refused, and no response anywhere carries a password, a
 * hash or a token (other than the login answer's own).
 */
const PRIVILEGED: Record<string, unknown> = {
  role: 'admin',
  is_active: true,
  seller_id: '5d7a1c4e-2b1f-4c6a-9e7d-3f2a1b0c9d8e',
  user_id: '5d7a1c4e-2b1f-4c6a-9e7d-3f2a1b0c9d8e',
  rating: 5,
  review_count: 100,
  status: 'delivered',
  amount: 1,
  price_paid: 1,
  is_verified: true,
  id: '5d7a1c4e-2b1f-4c6a-9e7d-3f2a1b0c9d8e',
  created_at: '2020-01-01T00:00:00Z',
};

const SECRET_PATTERN = /password|\$2[aby]\$\d\d\$|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/i;

describe('object property level authorization (OWASP API3)', () => {
  let t: TestApp;
  let customer: Actor;
  let seller: Actor;
  let admin: Actor;
  let productId: string;
  let orderId: string;

  beforeAll(async () => {
    t = await createTestApp();
    [customer, seller, admin] = await Promise.all([
      makeUser(t.http, 'customer'),
      makeUser(t.http, 'seller'),
      makeUser(t.http, 'admin'),
    ]);
    productId = (await insertProduct(t.ds, seller.id, { quantity: 50 })).id;
    orderId = (await checkout(t.http, customer, [{ id: productId }])).id;
  });
  afterAll(() => t.close());

  it('refuses every privileged field a body does not declare, naming it', async () => {
    const doc = openApiOf(t);
    const wrong: string[] = [];
    let checked = 0;
    for (const o of operationsOf(doc)) {
      const schema = resolve(doc, o.op.requestBody?.content?.['application/json']?.schema);
      if (!schema?.properties) continue;
      const declared = new Set(Object.keys(schema.properties));
      for (const [field, value] of Object.entries(PRIVILEGED)) {
        if (declared.has(field)) continue;
        checked++;
        const url = fillPath(o.path, {
          id: orderId,
          product_id: productId,
          order_id: orderId,
          provider: 'kaspi',
        });
        const agent = t.http as any;
        const res = await agent[o.method](url)
          .set(admin.auth)
          .send({ [field]: value });
        const messages = JSON.stringify(res.body.message ?? '');
        if (res.status !== 400 || !messages.includes(`property ${field} should not exist`)) {
          if (!(o.path.includes('/webhooks/') && res.status === 401)) {
            wrong.push(`${o.key} with ${field}: ${res.status} ${messages.slice(0, 120)}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });

  it('keeps server-owned fields server-owned where a body may carry them', async () => {
    // PUT /products may set is_active (the contract allows it), never seller_id or rating
    const res = await t.http
      .put(`/api/v1/products/${productId}`)
      .set(seller.auth)
      .send({ seller_id: customer.id, rating: 5 });
    expect(res.status).toBe(400);
    const p = await t.http.get(`/api/v1/products/${productId}`);
    expect(p.body).toMatchObject({ seller_id: seller.id, rating: 0 });
    // a customer may not set an order status, even with a body the seller could send
    expect(
      (
        await t.http
          .put(`/api/v1/orders/${orderId}/status`)
          .set(customer.auth)
          .send({ status: 'delivered' })
      ).status,
    ).toBe(403);
  });

  it('never answers with a password, a hash or a token outside the login answer', async () => {
    const doc = openApiOf(t);
    const leaks: string[] = [];
    for (const o of operationsOf(doc).filter((x) => x.method === 'get')) {
      for (const who of [customer, seller, admin]) {
        const url = fillPath(o.path, { id: orderId, product_id: productId, order_id: orderId });
        const res = await t.http
          .get(url)
          .set(who.auth)
          .query(o.path.endsWith('/reviews') ? { product_id: productId } : {});
        if (SECRET_PATTERN.test(JSON.stringify(res.body))) leaks.push(`${o.key} as ${who.role}`);
      }
    }
    const users = await t.http.get('/api/v1/admin/users?page_size=100').set(admin.auth);
    expect(users.status).toBe(200);
    expect(users.body.items.length).toBeGreaterThanOrEqual(3);
    expect(leaks).toEqual([]);
    const register = await t.http
      .post('/api/v1/auth/register')
      .send({ email: 'leak@check.kz', password: 'password-123', first_name: 'A', last_name: 'B' });
    expect(SECRET_PATTERN.test(JSON.stringify(register.body))).toBe(false);
  });
});
