import TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';

import type { CheckoutLine } from './orders';
import { checkout } from './orders';
import { pay } from './payments';
import { insertProduct } from './products';
import type { Actor } from './users';
import { makeUser } from './users';

export const RETURNS = '/api/v1/returns';

const STEPS = ['confirmed', 'processing', 'shipped', 'delivered'] as const;

/** Moves the seller's fulfillment of the order along to `to` (steps already taken are skipped). */
export async function advance(
  http: TestAgent,
  seller: Actor,
  orderId: string,
  to: (typeof STEPS)[number] = 'delivered',
): Promise<void> {
  for (const status of STEPS.slice(0, STEPS.indexOf(to) + 1)) {
    const res = await http
      .put(`/api/v1/orders/${orderId}/status`)
      .set(seller.auth)
      .send(status === 'shipped' ? { status, tracking_number: 'KZP000000001KZ' } : { status });
    // a paid order is confirmed already
    if (res.status !== 200 && !(res.status === 409 && status === 'confirmed')) {
      throw new Error(`move to ${status} failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
}

/**
 * A paid order of `lines` by `buyer`, each seller's parcel moved to `to` (default delivered).
 * Returns the order as the buyer sees it then.
 */
export async function paidOrder(
  http: TestAgent,
  buyer: Actor,
  lines: CheckoutLine[],
  sellers: Actor[],
  o: { method?: 'card' | 'cash_on_delivery'; to?: (typeof STEPS)[number] } = {},
): Promise<Record<string, any>> {
  const order = await checkout(http, buyer, lines);
  const paid = await pay(http, buyer, order.id, o.method ?? 'card');
  if (paid.status !== 201) throw new Error(`payment failed: ${JSON.stringify(paid.body)}`);
  for (const s of sellers) await advance(http, s, order.id, o.to ?? 'delivered');
  return (await http.get(`/api/v1/orders/${order.id}`).set(buyer.auth)).body;
}

/** The order line of a product. */
export const lineOf = (order: Record<string, any>, productId: string): string =>
  order.items.find((i: { product_id: string }) => i.product_id === productId).id;

export function createReturn(
  http: TestAgent,
  buyer: Actor,
  orderId: string,
  items: { order_item_id: string; quantity: number; reason?: string; comment?: string }[],
) {
  return http
    .post(RETURNS)
    .set(buyer.auth)
    .send({ order_id: orderId, items: items.map((i) => ({ reason: 'defective', ...i })) });
}

export const act = (
  http: TestAgent,
  who: Actor,
  id: string,
  step: 'approve' | 'reject' | 'receive' | 'cancel' | 'refund-paid',
  body: Record<string, unknown> = {},
) => http.put(`${RETURNS}/${id}/${step}`).set(who.auth).send(body);

/** Rows of a table by a column (test inspection only). */
export async function rowsOf(
  ds: DataSource,
  table: string,
  column: string,
  value: string,
): Promise<Record<string, any>[]> {
  const p = ds.options.type === 'postgres' ? '$1' : '?';
  return ds.query(`SELECT * FROM ${table} WHERE ${column} = ${p}`, [value]);
}

/**
 * A new buyer's paid two-seller order: 2 × 1 000 ₸ of a new product of `s1` and 1 × 3 000 ₸ of
 * one of `s2`, both parcels moved to `to` (default delivered). `a` is s1's parcel: its id and
 * total (items + delivery) in tiyn.
 */
export async function twoSellerOrder(
  http: TestAgent,
  ds: DataSource,
  [s1, s2]: [Actor, Actor],
  o: { method?: 'card' | 'cash_on_delivery'; to?: (typeof STEPS)[number] } = {},
) {
  const buyer = await makeUser(http, 'customer');
  const productA = await insertProduct(ds, s1.id, { price: 1000, quantity: 20 });
  const productB = await insertProduct(ds, s2.id, { price: 3000, quantity: 20 });
  const order = await paidOrder(
    http,
    buyer,
    [
      { product: productA, quantity: 2 },
      { product: productB, quantity: 1 },
    ],
    [s1, s2],
    o,
  );
  const parcels = await rowsOf(ds, 'fulfillments', 'order_id', order.id);
  const parcelOf = (s: Actor) => {
    const f = parcels.find((r) => r.seller_id === s.id)!;
    return { id: f.id as string, total: Number(f.items_total) + Number(f.delivery_cost) };
  };
  return { buyer, productA, productB, order, a: parcelOf(s1), b: parcelOf(s2) };
}

/** The order's payment_status as its buyer sees it. */
export const paymentStatusOf = async (http: TestAgent, buyer: Actor, orderId: string) =>
  (await http.get(`/api/v1/orders/${orderId}`).set(buyer.auth)).body.payment_status;

/** A seller's ledger entries of one parcel as sorted `[type, tiyn]` pairs. */
export const parcelLedger = async (ds: DataSource, sellerId: string, fulfillmentId: string) =>
  (await rowsOf(ds, 'seller_ledger_entries', 'fulfillment_id', fulfillmentId))
    .filter((e) => e.seller_id === sellerId)
    .map((e) => [e.type, Number(e.amount)])
    .sort();
