import { createTestApp, TestApp } from '../create-test-app';

/** The cart and orders operations are documented: summary, typed answer, errors, enums. */
describe('OpenAPI of cart and orders (e2e)', () => {
  let t: TestApp;
  let doc: any;

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/api/docs-json')).body;
  });
  afterAll(() => t.close());

  const ops: [string, string, string, string[]][] = [
    ['/api/v1/cart', 'get', '200', []],
    ['/api/v1/cart', 'delete', '200', []],
    ['/api/v1/cart/items', 'post', '201', ['400', '403', '404', '409']],
    ['/api/v1/cart/items/{product_id}', 'put', '200', ['400', '404', '409']],
    ['/api/v1/cart/items/{product_id}', 'delete', '200', ['404']],
    ['/api/v1/orders', 'post', '201', ['400', '409', '422']],
    ['/api/v1/orders', 'get', '200', ['400']],
    ['/api/v1/orders/{id}', 'get', '200', ['404']],
    ['/api/v1/orders/{id}/cancel', 'put', '200', ['404', '409']],
    ['/api/v1/orders/{id}/status', 'put', '200', ['403', '404', '409']],
  ];

  it.each(ops)('%s %s is documented', (path, method, ok, errors) => {
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    expect(op.summary).toBeTruthy();
    expect(op.responses[ok]).toBeDefined();
    expect(op.responses['401']).toBeDefined();
    for (const e of errors) expect(op.responses[e]).toBeDefined();
  });

  it('POST /orders documents the Idempotency-Key header', () => {
    const params = doc.paths['/api/v1/orders'].post.parameters ?? [];
    expect(params).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]),
    );
  });

  it('the order schema lists every contract field and the status enum', () => {
    const order = doc.components.schemas.OrderResponse;
    for (const f of [
      'id',
      'user_id',
      'status',
      'items',
      'items_total',
      'delivery_method',
      'delivery_cost',
      'total_amount',
      'delivery_address',
      'phone',
      'comment',
      'tracking_number',
      'payment_status',
      'fulfillments',
      'status_history',
      'created_at',
      'updated_at',
    ])
      expect(order.properties[f]).toBeDefined();
    expect(order.properties.status.enum).toEqual([
      'pending',
      'confirmed',
      'processing',
      'shipped',
      'delivered',
      'cancelled',
      'refunded',
    ]);
    const create = doc.components.schemas.CreateOrderDto;
    expect(create.properties.delivery_method.enum).toEqual(['standard', 'express', 'same_day']);
    const cart = doc.components.schemas.CartResponse;
    expect(Object.keys(cart.properties).sort()).toEqual(['items', 'total_amount', 'total_items']);
  });
});
