import TestAgent from 'supertest/lib/agent';

import type { Actor } from './users';

export interface CheckoutLine {
  /** A product (anything with an id) or a product id. */
  product: { id: string } | string;
  quantity?: number;
}

export const DEFAULT_DELIVERY = {
  delivery_method: 'standard',
  delivery_address: 'г. Алматы, пр. Абая 10, кв. 5',
  phone: '+77011234567',
};

/**
 * Puts the products in the customer's cart through the API and checks out (POST /orders).
 * Returns the created order (the response body); throws with the body if any call fails.
 */
export async function checkout(
  http: TestAgent,
  customer: Actor,
  products: (CheckoutLine | { id: string })[],
  body: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  for (const p of products) {
    const line: CheckoutLine = 'product' in p ? p : { product: p };
    const productId = typeof line.product === 'string' ? line.product : line.product.id;
    const res = await http
      .post('/api/v1/cart/items')
      .set(customer.auth)
      .send({ product_id: productId, quantity: line.quantity ?? 1 });
    if (res.status !== 201)
      throw new Error(`add to cart failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const res = await http
    .post('/api/v1/orders')
    .set(customer.auth)
    .send({ ...DEFAULT_DELIVERY, ...body });
  if (res.status !== 201)
    throw new Error(`checkout failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
