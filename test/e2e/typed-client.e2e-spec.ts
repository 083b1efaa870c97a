import type { AddressInfo } from 'node:net';

import {
  BibarysClient,
  createBibarysClient,
  REFRESH_PATH,
  Schemas,
} from '../../clients/typescript/src';
import { createTestApp, TestApp } from '../create-test-app';
import { uniqueEmail } from '../factories/users';

/**
 * The typed client (clients/typescript) against a real server over real HTTP: a whole purchase
 * from registration to review. Its calls are type-checked against the generated types
 * (`npm run typecheck`) and their answers checked here, so a document change that breaks
 * clients fails the tests.
 */
describe('typed client: register → product → cart → checkout → pay → deliver → review (e2e)', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => t.close());

  const signUp = async (role: 'customer' | 'seller'): Promise<BibarysClient> => {
    const client = createBibarysClient({ baseUrl });
    const email = uniqueEmail(role);
    const password = 'client-password-1';
    const { data, response } = await client.api.POST('/api/v1/auth/register', {
      body: { email, password, first_name: 'Айдана', last_name: 'Серикова', role },
    });
    expect(response.status).toBe(201);
    expect(data?.role).toBe(role);
    const login = await client.logIn(email, password);
    expect(login.token_type).toBe('bearer');
    expect(client.session.current?.access_token).toBe(login.access_token);
    return client;
  };

  it('buys, pays, receives and reviews a product', async () => {
    const seller = await signUp('seller');
    const created = await seller.api.POST('/api/v1/products', {
      body: {
        name: 'Самовар тульский',
        description: 'Латунь, 5 литров',
        price: 12500.5,
        quantity: 5,
        category: 'home',
      },
    });
    expect(created.response.status).toBe(201);
    const product: Schemas['ProductResponse'] = created.data!;

    // anyone finds it; a held copy is revalidated with its ETag
    const anon = createBibarysClient({ baseUrl });
    const found = await anon.api.GET('/api/v1/products', {
      params: { query: { search: 'самовар', page_size: 10 } },
    });
    expect(found.data?.items.map((p) => p.id)).toEqual([product.id]);
    const read = await anon.api.GET('/api/v1/products/{id}', {
      params: { path: { id: product.id } },
    });
    const etag = read.response.headers.get('ETag')!;
    expect(etag).toMatch(/^"/);
    const again = await anon.api.GET('/api/v1/products/{id}', {
      params: { path: { id: product.id }, header: { 'If-None-Match': etag } },
    });
    expect(again.response.status).toBe(304);

    const buyer = await signUp('customer');
    const cart = await buyer.api.POST('/api/v1/cart/items', {
      body: { product_id: product.id, quantity: 2 },
    });
    expect(cart.data).toMatchObject({ total_items: 2, total_amount: 25001 });

    const checkout = {
      params: { header: { 'Idempotency-Key': `checkout-${product.id}` } },
      body: {
        delivery_method: 'standard' as const,
        delivery_address: 'г. Алматы, пр. Абая 10',
        phone: '+77011234567',
      },
    };
    const placed = await buyer.api.POST('/api/v1/orders', checkout);
    expect(placed.response.status).toBe(201);
    const order = placed.data!;
    expect(order).toMatchObject({ status: 'pending', items_total: 25001, total_amount: 26501 });
    const replay = await buyer.api.POST('/api/v1/orders', checkout);
    expect(replay.response.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replay.data?.id).toBe(order.id);

    const paid = await buyer.api.POST('/api/v1/payments', {
      body: { order_id: order.id, payment_method: 'card' },
    });
    expect(paid.data).toMatchObject({ status: 'completed', amount: 26501 });

    for (const status of ['processing', 'shipped', 'delivered'] as const) {
      const moved = await seller.api.PUT('/api/v1/orders/{id}/status', {
        params: { path: { id: order.id } },
        body: { status },
      });
      expect([status, moved.response.status, moved.data?.status]).toEqual([status, 200, status]);
    }

    const review = await buyer.api.POST('/api/v1/reviews', {
      body: { product_id: product.id, rating: 5, comment: 'Чай как у бабушки' },
    });
    expect(review.response.status).toBe(201);
    expect(review.data).toMatchObject({ product_id: product.id, rating: 5 });
    const shown = await anon.api.GET('/api/v1/products/{id}', {
      params: { path: { id: product.id } },
    });
    expect(shown.data).toMatchObject({ rating: 5, review_count: 1, quantity: 3 });

    // errors are typed: `code` is one of the document's ErrorCode values
    const twice = await buyer.api.POST('/api/v1/reviews', {
      body: { product_id: product.id, rating: 4 },
    });
    const code: Schemas['ErrorCode'] | undefined = twice.error?.code;
    expect([twice.response.status, code]).toEqual([409, 'REVIEW_EXISTS']);
    const invalid = await buyer.api.POST('/api/v1/cart/items', {
      body: { product_id: product.id, quantity: 0 },
    });
    expect(invalid.error?.errors).toEqual([
      expect.objectContaining({ field: 'quantity', code: 'MIN' }),
    ]);
  });

  it('a 401 tries POST /auth/refresh once with the refresh token, then gives the 401 back', async () => {
    const sent: string[] = [];
    const client = createBibarysClient({
      baseUrl,
      tokens: { access_token: 'not-a-token', refresh_token: 'not-a-refresh-token' },
      fetch: (r) => {
        sent.push(`${r.method} ${new URL(r.url).pathname}`);
        return fetch(r);
      },
    });
    const me = await client.api.GET('/api/v1/auth/me');
    expect(me.response.status).toBe(401);
    expect(me.error?.code).toBeDefined();
    // the refresh route answers 404 on a server without sessions, 401 for a bad token with them
    expect(sent).toEqual(['GET /api/v1/auth/me', `POST ${REFRESH_PATH}`]);
  });
});
