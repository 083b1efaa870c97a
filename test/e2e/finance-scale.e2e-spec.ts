import { createTestApp, TestApp } from '../create-test-app';
import { insertSellersWithShops, ledgerVsSummary, record, shopFor } from '../factories/finance';
import { Actor, makeUser } from '../factories/users';
import { recordQueries } from '../support/queries';

const API = '/api/v1';

describe('finance: the shape of the queries that must stay fast (e2e)', () => {
  let t: TestApp;
  let admin: Actor;
  let seller: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
    seller = await makeUser(t.http, 'seller');
    await shopFor(t, seller);
    const past = new Date(Date.now() - 30 * 86_400_000);
    const hold = new Date(Date.now() + 7 * 86_400_000);
    await record(
      t,
      Array.from({ length: 400 }, (_, i) => ({
        sellerId: seller.id,
        type: i % 2 ? ('commission' as const) : ('sale' as const),
        amount: i % 2 ? -100 : 1000,
        availableAt: i < 380 ? past : hold,
      })),
    );
  });
  afterAll(() => t.close());

  it('GET /seller/balance reads the finance tables in one statement', async () => {
    let body: unknown;
    const log = await recordQueries(t.ds, async () => {
      body = (await t.http.get(`${API}/seller/balance`).set(seller.auth)).body;
    });
    const finance = log.filter((q) => /seller_balances|seller_ledger_entries/.test(q.sql));
    expect(finance).toHaveLength(1);
    // then from memory (BalanceCache) until the ledger changes
    const again = await recordQueries(t.ds, () =>
      t.http.get(`${API}/seller/balance`).set(seller.auth).expect(200),
    );
    expect(again.filter((q) => /seller_balances|seller_ledger_entries/.test(q.sql))).toEqual([]);
    expect(body).toEqual({
      pending: 90, // 10 sales of 10 tenge less their 1 tenge commission, on hold
      available: 1710,
      paid_out: 0,
      lifetime_sales: 2000,
      lifetime_commission: 200,
    });
  });

  it('the pending sum and the statement read the ledger through the seller’s indexes', async () => {
    const pg = t.db === 'postgres';
    const explain = async (sql: string, params: unknown[]) => {
      if (pg) {
        await t.ds.query('ANALYZE seller_ledger_entries');
        // one connection: SET LOCAL lasts for this transaction only
        return t.ds.transaction(async (em) => {
          await em.query('SET LOCAL enable_seqscan = off');
          const rows = await em.query(`EXPLAIN ${sql}`, params);
          return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
        });
      }
      const rows = await t.ds.query(`EXPLAIN QUERY PLAN ${sql}`, params);
      return rows.map((r: { detail: string }) => r.detail).join('\n');
    };
    const p = (i: number) => (pg ? `$${i}` : '?');
    const pending = await explain(
      `SELECT COALESCE(SUM(amount), 0) FROM seller_ledger_entries
        WHERE seller_id = ${p(1)} AND available_at > ${p(2)} AND available_at > created_at`,
      [seller.id, new Date().toISOString()],
    );
    expect(pending).toMatch(/ix_ledger_seller_available/);
    const month = await explain(
      `SELECT type, SUM(amount) FROM seller_ledger_entries
        WHERE seller_id = ${p(1)} AND created_at < ${p(2)} GROUP BY type`,
      [seller.id, new Date().toISOString()],
    );
    expect(month).toMatch(/ix_ledger_seller_/); // any of the seller’s indexes: never the whole table
  });

  it('a batch over more sellers than one statement takes (600) pays each once', async () => {
    const ids = await insertSellersWithShops(t, 600);
    const past = new Date(Date.now() - 30 * 86_400_000);
    await record(
      t,
      ids.map((sellerId) => ({
        sellerId,
        type: 'sale' as const,
        amount: 200_000,
        availableAt: past,
      })),
    );
    const res = await t.http.post(`${API}/admin/payouts`).set(admin.auth).send({});
    expect(res.status).toBe(201);
    const paid = new Map<string, number>(
      res.body.payouts.map((p: { seller_id: string; amount: number }) => [p.seller_id, p.amount]),
    );
    for (const id of ids) expect(paid.get(id)).toBe(2000);
    for (const id of [ids[0], ids[499], ids[500], ids[599]]) {
      expect(await ledgerVsSummary(t, id)).toEqual({
        entries: 0,
        count: 2,
        summary: 0,
        summaryCount: 2,
      });
    }
    const register = await t.http
      .get(`${API}/admin/payouts/batches/${res.body.batch_id}/register`)
      .set(admin.auth);
    expect(register.text.split('\r\n').length).toBe(res.body.payouts.length + 2);
  });
});
