import { seedSellerMoney } from '../../src/database/seed-money';
import { FinanceClock } from '../../src/modules/finance/finance-clock';
import { OrderClock } from '../../src/modules/orders/order-clock';
import { createTestApp, TestApp } from '../create-test-app';
import { ledgerVsSummary, shopFor } from '../factories/finance';
import { Actor, makeUser } from '../factories/users';

const DAY = 86_400_000;

/**
 * The demo seller's money story of `npm run seed` (src/database/seed-money.ts): sales, a return,
 * an available balance (sales delivered more than PAYOUT_HOLD ago, played on clocks set back)
 * and a paid payout — all through the API, the ledger untouched by hand.
 */
describe('seed: a demo seller with sales, a return, an available balance and a paid payout (e2e)', () => {
  let t: TestApp;
  let seller: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    seller = await makeUser(t.http, 'seller');
    await shopFor(t, seller);
  });
  afterAll(() => t.close());

  it('shows every part of the story in the balance, the ledger and the payouts', async () => {
    const admin = await makeUser(t.http, 'admin');
    const buyers = await Promise.all([0, 1].map(() => makeUser(t.http, 'customer')));
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const req = (t.http as any)[method.toLowerCase()](`/api/v1${path}`);
      if (token) req.set('Authorization', `Bearer ${token}`);
      const res = await req.send(body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    const token = (a: Actor) => String(a.auth.Authorization).replace('Bearer ', '');
    const orders = t.app.get(OrderClock);
    const finance = t.app.get(FinanceClock);
    const balance = await seedSellerMoney(
      call,
      { orders, finance },
      {
        seller: { id: seller.id, token: token(seller) },
        buyers: buyers.map((b) => ({ token: token(b) })),
        adminToken: token(admin),
        holdMs: 14 * DAY,
      },
    );
    // the clocks are back to now
    expect(Math.abs(orders.now().getTime() - Date.now())).toBeLessThan(1000);
    expect(Math.abs(finance.now().getTime() - Date.now())).toBeLessThan(1000);

    expect(balance.available).toBeGreaterThan(0);
    expect(balance.pending).toBeGreaterThan(0);
    expect(balance.paid_out).toBeGreaterThan(0);
    const ledger = (await t.http.get('/api/v1/seller/ledger?page_size=100').set(seller.auth)).body;
    const types = new Set(ledger.items.map((e: { type: string }) => e.type));
    for (const type of ['sale', 'commission', 'refund', 'commission_reversal', 'payout']) {
      expect([type, types.has(type)]).toEqual([type, true]);
    }
    // the oldest sales were delivered PAYOUT_HOLD + 10 days ago
    const oldest = Math.min(
      ...ledger.items.map((e: { created_at: string }) => Date.parse(e.created_at)),
    );
    expect(Date.now() - oldest).toBeGreaterThan(23 * DAY);
    const returns = (await t.http.get('/api/v1/returns').set(seller.auth)).body;
    expect(returns.items.map((r: { status: string }) => r.status)).toEqual(['refunded']);
    const payouts = (await t.http.get('/api/v1/seller/payouts').set(seller.auth)).body;
    expect(payouts.items.map((p: { status: string }) => p.status)).toEqual(['paid']);
    const c = await ledgerVsSummary(t, seller.id);
    expect(c.entries).toBe(c.summary);
    expect(c.entries).toBe(Math.round((balance.available + balance.pending) * 100));
  });
});
