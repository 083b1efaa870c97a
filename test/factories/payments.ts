import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';

import { signBody } from '../../src/modules/payments/webhook-signature';
import { checkout } from './orders';
import { insertProduct } from './products';
import { Actor, makeUser } from './users';

/** The secret createTestApp sets as PAYMENT_WEBHOOK_SECRET. */
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret';
export const PAYMENTS = '/api/v1/payments';

/** Posts a provider callback; `signature` null sends none, undefined signs with the test secret. */
export function postWebhook(
  http: TestAgent,
  channel: string,
  body: Record<string, unknown> | string,
  signature?: string | null,
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const req = http.post(`${PAYMENTS}/webhooks/${channel}`).set('Content-Type', 'application/json');
  if (signature !== null) req.set('X-Signature', signature ?? signBody(TEST_WEBHOOK_SECRET, raw));
  return req.send(raw);
}

/** POST /payments for an order (returns the raw response). */
export function pay(
  http: TestAgent,
  who: Actor,
  orderId: string,
  method: 'card' | 'kaspi' | 'cash_on_delivery' = 'card',
  extra: Record<string, unknown> = {},
  idempotencyKey?: string,
) {
  const req = http.post(PAYMENTS).set(who.auth);
  if (idempotencyKey) req.set('Idempotency-Key', idempotencyKey);
  return req.send({ order_id: orderId, payment_method: method, ...extra });
}

/**
 * A new customer with a fresh order (through the API) of one product of `sellerId`.
 * The order total is price × quantity + 1500 (standard delivery).
 */
export async function customerWithOrder(
  http: TestAgent,
  ds: DataSource,
  sellerId: string,
  o: { price?: number; quantity?: number } = {},
): Promise<{ customer: Actor; order: Record<string, any> }> {
  const customer = await makeUser(http, 'customer');
  const product = await insertProduct(ds, sellerId, { price: o.price ?? 1234.5, quantity: 50 });
  const order = await checkout(http, customer, [{ product, quantity: o.quantity ?? 2 }]);
  return { customer, order };
}
