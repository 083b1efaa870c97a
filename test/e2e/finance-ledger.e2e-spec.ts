import { randomUUID } from 'node:crypto';

import type { Actor as CurrentActor } from '../../src/common/auth/actor';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { FinanceClock } from '../../src/modules/finance/finance-clock';
import { SellerLedgerService } from '../../src/modules/finance/seller-ledger.service';
import { createTestApp, TestApp } from '../create-test-app';
import { availableSale, ledgerVsSummary, record } from '../factories/finance';
import { Actor, makeUser } from '../factories/users';
import { recordQueries } from '../support/queries';

const API = '/api/v1';

describe('finance: the seller ledger, balances and statements (e2e)', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  const newSeller = async () => {
    // a seller without a shop is known to finance (its payouts wait for an approved shop)
    return makeUser(t.http, 'seller');
  };
  const p = (i: number) => (t.db === 'postgres' ? `$${i}` : '?');

  describe('append-only', () => {
    it('the database refuses UPDATE and DELETE of entries, and the rows stay', async () => {
      const s = await newSeller();
      const [entry] = await record(t, [
        { sellerId: s.id, type: 'adjustment', amount: 500, note: 'x' },
      ]);
      await expect(
        t.ds.query(`UPDATE seller_ledger_entries SET amount = 1 WHERE id = ${p(1)}`, [entry.id]),
      ).rejects.toThrow(/append-only/);
      await expect(
        t.ds.query(`DELETE FROM seller_ledger_entries WHERE id = ${p(1)}`, [entry.id]),
      ).rejects.toThrow(/append-only/);
      await expect(t.ds.query(`DELETE FROM seller_ledger_entries`)).rejects.toThrow(/append-only/);
      const [row] = await t.ds.query(
        `SELECT amount FROM seller_ledger_entries WHERE id = ${p(1)}`,
        [entry.id],
      );
      expect(Number(row.amount)).toBe(500);
    });
  });

  describe('GET /seller/balance', () => {
    it('is all zeros for a seller without entries; customers are refused', async () => {
      const s = await newSeller();
      const res = await t.http.get(`${API}/seller/balance`).set(s.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        pending: 0,
        available: 0,
        paid_out: 0,
        lifetime_sales: 0,
        lifetime_commission: 0,
      });
      const c = await makeUser(t.http, 'customer');
      expect((await t.http.get(`${API}/seller/balance`).set(c.auth)).status).toBe(403);
      expect((await t.http.get(`${API}/seller/balance`)).status).toBe(401);
    });

    it('splits pending (on hold) from available, in exact tenge', async () => {
      const s = await newSeller();
      await availableSale(t, s.id, 1000.1, 100.01);
      const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000);
      await record(t, [
        { sellerId: s.id, type: 'sale', amount: 20_020, availableAt: inTwoWeeks },
        { sellerId: s.id, type: 'commission', amount: -2002, availableAt: inTwoWeeks },
        { sellerId: s.id, type: 'refund', amount: -10 },
        { sellerId: s.id, type: 'commission_reversal', amount: 1 },
      ]);
      const res = await t.http.get(`${API}/seller/balance`).set(s.auth);
      expect(res.body).toEqual({
        pending: 180.18,
        available: 900,
        paid_out: 0,
        lifetime_sales: 1200.3,
        lifetime_commission: 120.02,
      });
      // the admin sees the same
      const a = await t.http.get(`${API}/admin/sellers/${s.id}/balance`).set(admin.auth);
      expect(a.body).toEqual(res.body);
    });

    it('is kept in memory, yet an entry shows at once and a rolled-back one never', async () => {
      const s = await newSeller();
      const actor = { id: s.id, role: 'seller' } as unknown as CurrentActor;
      const ledger = t.app.get(SellerLedgerService);
      const available = async () =>
        (await t.http.get(`${API}/seller/balance`).set(s.auth)).body.available as number;
      const financeQueries = async (fn: () => Promise<unknown>) =>
        (await recordQueries(t.ds, fn)).filter((q) =>
          /seller_balances|seller_ledger_entries/.test(q.sql),
        ).length;
      await record(t, [{ sellerId: s.id, type: 'adjustment', amount: 10_000, note: 'a' }]);
      expect(await financeQueries(async () => expect(await available()).toBe(100))).toBe(1);
      expect(await financeQueries(async () => expect(await available()).toBe(100))).toBe(0);
      await record(t, [{ sellerId: s.id, type: 'adjustment', amount: 2_500, note: 'b' }]);
      expect(await available()).toBe(125);
      // read while the transaction that writes is open (SQLite's one connection sees it), then
      // rolled back: what was read then is not kept
      await expect(
        t.app.get(UnitOfWork).run(async (tx) => {
          await ledger.record(tx, [
            { sellerId: s.id, type: 'adjustment', amount: 7_700, note: 'c' },
          ]);
          await ledger.balance(actor);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await available()).toBe(125);
      expect(await available()).toBe(125);
    });

    it('money on hold becomes available when its hold ends, with nothing written', async () => {
      const s = await newSeller();
      const clock = t.app.get(FinanceClock);
      const inAnHour = new Date(Date.now() + 3_600_000);
      await record(t, [{ sellerId: s.id, type: 'sale', amount: 50_000, availableAt: inAnHour }]);
      const balance = async () => (await t.http.get(`${API}/seller/balance`).set(s.auth)).body;
      expect(await balance()).toMatchObject({ pending: 500, available: 0 });
      expect(await balance()).toMatchObject({ pending: 500, available: 0 }); // kept
      const now = jest.spyOn(clock, 'now').mockReturnValue(new Date(inAnHour.getTime() + 1));
      try {
        expect(await balance()).toMatchObject({ pending: 0, available: 500 });
        // a clock set back before the read (a test, a corrected server clock) reads it again
        now.mockReturnValue(new Date(Date.now() - 60_000));
        expect(await balance()).toMatchObject({ pending: 500, available: 0 });
      } finally {
        now.mockRestore();
      }
    });

    it('an admin asking for an unknown seller gets 404, a bad id 400', async () => {
      const res = await t.http.get(`${API}/admin/sellers/${randomUUID()}/balance`).set(admin.auth);
      expect(res.status).toBe(404);
      expect((await t.http.get(`${API}/admin/sellers/nope/balance`).set(admin.auth)).status).toBe(
        400,
      );
      const s = await newSeller();
      const other = await newSeller();
      expect(
        (await t.http.get(`${API}/admin/sellers/${other.id}/balance`).set(s.auth)).status,
      ).toBe(403);
    });
  });

  describe('GET /seller/ledger', () => {
    it('pages own entries newest first, filters by type and date, never shows another seller’s', async () => {
      const s = await newSeller();
      const other = await newSeller();
      await availableSale(t, other.id, 50);
      // all five in one instant: the order written must still be the order shown
      const clock = jest.spyOn(t.app.get(FinanceClock), 'now').mockReturnValue(new Date());
      for (let i = 1; i <= 5; i++) {
        await record(t, [{ sellerId: s.id, type: 'adjustment', amount: i * 100, note: `n${i}` }]);
      }
      clock.mockRestore();
      await availableSale(t, s.id, 10);
      const all = await t.http.get(`${API}/seller/ledger?page_size=3`).set(s.auth);
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ total: 7, page: 1, page_size: 3, pages: 3 });
      expect(all.body.items.map((e: { seller_id: string }) => e.seller_id)).toEqual([
        s.id,
        s.id,
        s.id,
      ]);
      const times = all.body.items.map((e: { created_at: string }) => e.created_at);
      expect([...times].sort().reverse()).toEqual(times);

      const adj = await t.http.get(`${API}/seller/ledger?type=adjustment`).set(s.auth);
      expect(adj.body.items.map((e: { amount: number }) => e.amount)).toEqual([5, 4, 3, 2, 1]);
      expect(adj.body.items[0]).toMatchObject({ type: 'adjustment', note: 'n5', order_id: null });

      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const future = await t.http.get(`${API}/seller/ledger?from=${tomorrow}`).set(s.auth);
      expect(future.body.total).toBe(0);
      const today = new Date().toISOString().slice(0, 10);
      const upToToday = await t.http.get(`${API}/seller/ledger?to=${today}`).set(s.auth);
      expect(upToToday.body.total).toBe(7);

      const viaAdmin = await t.http
        .get(`${API}/admin/sellers/${s.id}/ledger?type=sale`)
        .set(admin.auth);
      expect(viaAdmin.body.total).toBe(1);
    });

    it.each([
      ['type=bonus'],
      ['from=yesterday'],
      ['page=0'],
      ['page_size=101'],
      ['from=2026-02-01&to=2026-01-01'],
      ['extra=1'],
    ])('refuses %s with 400', async (qs) => {
      const s = await newSeller();
      expect((await t.http.get(`${API}/seller/ledger?${qs}`).set(s.auth)).status).toBe(400);
    });
  });

  describe('POST /admin/sellers/{id}/adjustments', () => {
    it('adds a signed entry available at once', async () => {
      const s = await newSeller();
      const res = await t.http
        .post(`${API}/admin/sellers/${s.id}/adjustments`)
        .set(admin.auth)
        .send({ amount: -250.75, note: 'Штраф за просрочку отправки' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        seller_id: s.id,
        type: 'adjustment',
        amount: -250.75,
        note: 'Штраф за просрочку отправки',
      });
      expect(res.body.available_at).toBe(res.body.created_at);
      const b = await t.http.get(`${API}/seller/balance`).set(s.auth);
      expect(b.body).toMatchObject({ available: -250.75, pending: 0 });
    });

    it.each([
      [{ amount: 0, note: 'x' }],
      [{ amount: 10 }],
      [{ amount: 10, note: '' }],
      [{ amount: 10, note: '   ' }],
      [{ amount: 10.001, note: 'x' }],
      [{ amount: '10', note: 'x' }],
      [{ amount: 10, note: 'x', type: 'sale' }],
    ])('refuses %j with 400 and writes nothing', async (body) => {
      const s = await newSeller();
      const res = await t.http
        .post(`${API}/admin/sellers/${s.id}/adjustments`)
        .set(admin.auth)
        .send(body);
      expect(res.status).toBe(400);
      expect((await ledgerVsSummary(t, s.id)).count).toBe(0);
    });

    it('an unknown seller → 404; a seller may not adjust → 403', async () => {
      const res = await t.http
        .post(`${API}/admin/sellers/${randomUUID()}/adjustments`)
        .set(admin.auth)
        .send({ amount: 10, note: 'x' });
      expect(res.status).toBe(404);
      const s = await newSeller();
      const self = await t.http
        .post(`${API}/admin/sellers/${s.id}/adjustments`)
        .set(s.auth)
        .send({ amount: 10, note: 'x' });
      expect(self.status).toBe(403);
    });

    it('under concurrency Σ entries = pending + available = the summary', async () => {
      const s = await newSeller();
      await availableSale(t, s.id, 100);
      const amounts = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -1.5 : 2.25));
      const results = await Promise.all(
        amounts.map((amount) =>
          t.http
            .post(`${API}/admin/sellers/${s.id}/adjustments`)
            .set(admin.auth)
            .send({ amount, note: 'race' }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(amounts.map(() => 201));
      const check = await ledgerVsSummary(t, s.id);
      const expected = 9000 + amounts.reduce((a, x) => a + Math.round(x * 100), 0);
      expect(check).toEqual({
        entries: expected,
        count: 42,
        summary: expected,
        summaryCount: 42,
      });
      const b = await t.http.get(`${API}/seller/balance`).set(s.auth);
      expect(Math.round((b.body.pending + b.body.available) * 100)).toBe(expected);
    });
  });

  describe('GET /seller/statements/{yyyy-mm}', () => {
    it('opens with the balance before the month and closes with every movement in it', async () => {
      const s = await newSeller();
      await availableSale(t, s.id, 1160);
      await record(t, [{ sellerId: s.id, type: 'adjustment', amount: 5000, note: 'bonus' }]);
      const month = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Asia/Almaty',
        year: 'numeric',
        month: '2-digit',
      })
        .format(new Date())
        .slice(0, 7);
      const res = await t.http.get(`${API}/seller/statements/${month}`).set(s.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        month,
        opening_balance: 0,
        sales: 1160,
        commission: -116,
        commission_vat: 16,
        refunds: 0,
        commission_reversals: 0,
        payouts: 0,
        adjustments: 50,
        closing_balance: 1094,
      });
      const next = await t.http.get(`${API}/seller/statements/2099-01`).set(s.auth);
      expect(next.body).toMatchObject({ opening_balance: 1094, closing_balance: 1094, sales: 0 });
      const before = await t.http.get(`${API}/seller/statements/2020-01?tz=UTC`).set(s.auth);
      expect(before.body).toMatchObject({ opening_balance: 0, closing_balance: 0 });
    });

    it('answers CSV of the month’s entries for Accept: text/csv, oldest first', async () => {
      const s = await newSeller();
      const [first] = await record(t, [
        { sellerId: s.id, type: 'adjustment', amount: 12_345, note: 'a, "b"' },
      ]);
      const orderId = randomUUID();
      const payoutId = randomUUID();
      const [second] = await record(t, [
        { sellerId: s.id, type: 'adjustment', amount: -5, note: '=HYPERLINK("x")', orderId },
      ]);
      const [third] = await record(t, [
        { sellerId: s.id, type: 'payout', amount: -100_000, payoutId },
      ]);
      const fulfillmentId = randomUUID();
      const returnId = randomUUID();
      const [fourth] = await record(t, [
        {
          sellerId: s.id,
          type: 'commission_reversal',
          amount: 100_000_007,
          fulfillmentId,
          returnId,
        },
      ]);
      const month = new Date().toISOString().slice(0, 7);
      const res = await t.http
        .get(`${API}/seller/statements/${month}?tz=UTC`)
        .set(s.auth)
        .set('Accept', 'text/csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.text.startsWith('\ufeff')).toBe(true);
      const lines = res.text.replace(/^\ufeff/, '').split('\r\n');
      const iso = (d: Date) => new Date(d).toISOString();
      const line = {
        [first.id]: `${iso(first.createdAt)},adjustment,123.45,${iso(first.availableAt)},,,,,"a, ""b""",${first.id}`,
        [second.id]: `${iso(second.createdAt)},adjustment,-0.05,${iso(second.availableAt)},${orderId},,,,"'=HYPERLINK(""x"")",${second.id}`,
        [third.id]: `${iso(third.createdAt)},payout,-1000.00,${iso(third.availableAt)},,,,${payoutId},,${third.id}`,
        [fourth.id]: `${iso(fourth.createdAt)},commission_reversal,1000000.07,${iso(fourth.availableAt)},,${fulfillmentId},${returnId},,,${fourth.id}`,
      };
      // oldest first, ties (the same millisecond) by id
      const order = [first, second, third, fourth].sort(
        (a, b) => +new Date(a.createdAt) - +new Date(b.createdAt) || (a.id < b.id ? -1 : 1),
      );
      // the same entries' stored values, each field where the header puts it
      expect(lines).toEqual([
        'created_at,type,amount,available_at,order_id,fulfillment_id,return_id,payout_id,note,id',
        ...order.map((e) => line[e.id]),
        '',
      ]);
    });

    it.each([
      ['2024-13', ''],
      ['2024-1', ''],
      ['latest', ''],
      ['2024-01', '?tz=Mars/Olympus'],
      ['2024-01', '?zone=UTC'],
    ])('refuses month %s %s with 400', async (month, qs) => {
      const s = await newSeller();
      const res = await t.http.get(`${API}/seller/statements/${month}${qs}`).set(s.auth);
      expect(res.status).toBe(400);
      if (qs.startsWith('?tz=')) {
        expect(res.body.code).toBe('INVALID_TIME_ZONE');
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'tz' })]);
      }
    });
  });
});
