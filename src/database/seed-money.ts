import { FinanceClock } from '../modules/finance/finance-clock';
import { OrderClock } from '../modules/orders/order-clock';

const DAY_MS = 86_400_000;

/** One request of the seed against the running service: the JSON answer, or a throw. */
export type SeedCall = (
  method: string,
  path: string,
  token?: string,
  body?: unknown,
) => Promise<any>;

/** The two clocks a demo history needs, set back while its past is played. */
export interface SeedClocks {
  orders: OrderClock;
  finance: FinanceClock;
}

export interface MoneyDemo {
  seller: { id: string; token: string };
  buyers: { token: string }[];
  adminToken: string;
  /** PAYOUT_HOLD, in ms. */
  holdMs: number;
}

/**
 * A seller's money story for `npm run seed`, through the API only (every rule and ledger hook
 * applies; nothing is written around the append-only ledger): sales delivered PAYOUT_HOLD + 10
 * days ago and paid out (a payout marked paid 8 days ago), sales delivered PAYOUT_HOLD + 3 days
 * ago (now available), and this week's sales (pending), one with a return received and refunded.
 * The past is played on the order workflow's and the finance clocks, set back while it runs: the
 * deliveries, ledger entries and payout carry the dates they would have had.
 */
export async function seedSellerMoney(call: SeedCall, clocks: SeedClocks, d: MoneyDemo) {
  const at = (ms: number) => () => new Date(Date.now() - ms);
  const played = async (ago: number, work: () => Promise<void>) => {
    const orders = clocks.orders.now;
    const finance = clocks.finance.now;
    clocks.orders.now = clocks.finance.now = at(ago);
    try {
      await work();
    } finally {
      clocks.orders.now = orders;
      clocks.finance.now = finance;
    }
  };
  const sale = async (buyer: { token: string }, productId: string, quantity: number) => {
    await call('POST', '/cart/items', buyer.token, { product_id: productId, quantity });
    const order = await call('POST', '/orders', buyer.token, {
      delivery_method: 'standard',
      delivery_address: 'г. Алматы, ул. Абая, 150',
      phone: '+77015550123',
    });
    await call('POST', '/payments', buyer.token, { order_id: order.id, payment_method: 'card' });
    for (const status of ['processing', 'shipped', 'delivered']) {
      await call('PUT', `/orders/${order.id}/status`, d.seller.token, {
        status,
        tracking_number: status === 'shipped' ? `KZP9${order.id.slice(0, 6)}` : undefined,
      });
    }
    return call('GET', `/orders/${order.id}`, buyer.token);
  };
  const [b1, b2] = d.buyers;
  const product = async (name: string, price: number) =>
    (
      await call('POST', '/products', d.seller.token, {
        name,
        description: `${name}: из демо-истории продавца`,
        price,
        quantity: 50,
        category: 'home',
      })
    ).id as string;
  const p1 = await product('Казан чугунный 8 л', 18_990);
  const p2 = await product('Пиала керамическая, набор из 6', 7_450);

  await played(d.holdMs + 10 * DAY_MS, async () => {
    await sale(b1, p1, 2);
    await sale(b2, p2, 1);
  });
  let payoutId = '';
  await played(9 * DAY_MS, async () => {
    const batch = await call('POST', '/admin/payouts', d.adminToken, {
      seller_ids: [d.seller.id],
      min_amount: 1,
    });
    payoutId = batch.payouts[0]?.id;
    if (!payoutId) throw new Error(`no payout for the demo seller: ${JSON.stringify(batch)}`);
  });
  await played(8 * DAY_MS, async () => {
    await call('PUT', `/admin/payouts/${payoutId}/paid`, d.adminToken, {
      bank_reference: 'PP-2026-000142',
    });
  });
  await played(d.holdMs + 3 * DAY_MS, async () => {
    await sale(b2, p1, 1);
    await sale(b1, p2, 2);
  });
  // this week: pending sales, one with a return of one unit, received and refunded
  const recent = await sale(b1, p1, 2);
  await sale(b2, p2, 1);
  const ret = await call('POST', '/returns', b1.token, {
    order_id: recent.id,
    items: [{ order_item_id: recent.items[0].id, quantity: 1, reason: 'defective' }],
  });
  await call('PUT', `/returns/${ret.id}/approve`, d.seller.token);
  await call('PUT', `/returns/${ret.id}/receive`, d.seller.token);
  return call('GET', '/seller/balance', d.seller.token);
}
