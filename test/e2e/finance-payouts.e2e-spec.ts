import { randomUUID } from 'node:crypto';

import { PayoutRepository } from '../../src/modules/finance/payout.repository';
import { createTestApp, TestApp } from '../create-test-app';
import { availableSale, BANK, ledgerVsSummary, record, shopFor } from '../factories/finance';
import { Actor, makeUser } from '../factories/users';

const API = '/api/v1';
const PAYOUTS = `${API}/admin/payouts`;

interface PayoutBody {
  id: string;
  seller_id: string;
  amount: number;
  status: string;
}

describe('finance: payouts with the manual provider (e2e)', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  const newSeller = async (approved = true) => {
    const s = await makeUser(t.http, 'seller');
    await shopFor(t, s, { approved });
    return s;
  };
  const batch = (body: Record<string, unknown>) => t.http.post(PAYOUTS).set(admin.auth).send(body);
  const balance = async (s: Actor) => (await t.http.get(`${API}/seller/balance`).set(s.auth)).body;
  const mailsTo = async (email: string) =>
    t.ds.query(
      `SELECT kind, subject FROM mail_outbox WHERE to_address = ${t.db === 'postgres' ? '$1' : '?'}`,
      [email],
    );

  it('pays the available balance of approved shops and says why the others wait', async () => {
    const rich = await newSeller();
    const small = await newSeller();
    const unapproved = await newSeller(false);
    const empty = await newSeller();
    const onHold = await newSeller();
    await availableSale(t, rich.id, 10_000.5, 1000.05);
    await availableSale(t, small.id, 500, 50);
    await availableSale(t, unapproved.id, 50_000);
    await record(t, [
      {
        sellerId: onHold.id,
        type: 'sale',
        amount: 5_000_000,
        availableAt: new Date(Date.now() + 86_400_000),
      },
    ]);
    const res = await batch({
      seller_ids: [rich.id, small.id, unapproved.id, empty.id, onHold.id],
    });
    expect(res.status).toBe(201);
    expect(res.body.payouts).toEqual([
      {
        id: expect.any(String),
        batch_id: res.body.batch_id,
        seller_id: rich.id,
        amount: 9000.45,
        status: 'pending',
        shop_name: expect.stringContaining('Магазин'),
        bin_iin: BANK.binIin,
        iban: BANK.iban,
        bik: BANK.bik,
        kbe: BANK.kbe,
        bank_reference: null,
        failure_reason: null,
        created_at: expect.any(String),
        paid_at: null,
      },
    ]);
    expect(new Set(res.body.skipped)).toEqual(
      new Set([
        { seller_id: small.id, reason: 'BELOW_MINIMUM' },
        { seller_id: unapproved.id, reason: 'SHOP_NOT_APPROVED' },
        { seller_id: empty.id, reason: 'NOTHING_AVAILABLE' },
        { seller_id: onHold.id, reason: 'NOTHING_AVAILABLE' },
      ]),
    );
    expect(await balance(rich)).toMatchObject({ available: 0, paid_out: 9000.45 });
    const entries = await t.http.get(`${API}/seller/ledger?type=payout`).set(rich.auth);
    expect(entries.body.items).toEqual([
      expect.objectContaining({ amount: -9000.45, payout_id: res.body.payouts[0].id }),
    ]);
    // min_amount lowers the bar
    const low = await batch({ seller_ids: [small.id], min_amount: 100 });
    expect(low.body.payouts.map((p: PayoutBody) => p.amount)).toEqual([450]);
  });

  it('without seller_ids pays every seller with money', async () => {
    const a = await newSeller();
    const b = await newSeller();
    await availableSale(t, a.id, 2000);
    await availableSale(t, b.id, 3000);
    const res = await batch({});
    expect(res.status).toBe(201);
    const paid = res.body.payouts.map((p: PayoutBody) => p.seller_id);
    expect(paid).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await batch({})).body.payouts).toEqual([]);
  });

  it.each([
    [{ seller_ids: [] }],
    [{ seller_ids: ['nope'] }],
    [{ min_amount: -1 }],
    [{ min_amount: 1.005 }],
    [{ dry_run: true }],
  ])('refuses %j with 400', async (body) => {
    expect((await batch(body)).status).toBe(400);
  });

  it('only admins make payouts', async () => {
    const s = await newSeller();
    expect((await t.http.post(PAYOUTS).set(s.auth).send({})).status).toBe(403);
    expect((await t.http.get(PAYOUTS).set(s.auth)).status).toBe(403);
  });

  it('the register is the contract’s CSV', async () => {
    const s = await makeUser(t.http, 'seller');
    await shopFor(t, s, { shopName: 'ТОО "Сауда, Плюс"' });
    await availableSale(t, s.id, 12_345.5, 0.05);
    const res = await batch({ seller_ids: [s.id] });
    const csv = await t.http
      .get(`${PAYOUTS}/batches/${res.body.batch_id}/register`)
      .set(admin.auth);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('\ufeffrecipient,bin_iin,iban,bik,kbe,knp,amount,purpose');
    expect(lines[1]).toMatch(
      /^"ТОО ""Сауда, Плюс""",971240001315,KZ86125KZT5004100100,CASPKZKA,17,859,12345\.45,"Выплата по договору оферты с ТОО ""Сауда, Плюс"" за период по \d\d\.\d\d\.\d{4}"$/,
    );
    expect(lines.slice(2)).toEqual(['']);
    const missing = await t.http.get(`${PAYOUTS}/batches/${randomUUID()}/register`).set(admin.auth);
    expect(missing.status).toBe(404);
  });

  it('paid: stores the bank reference and mails the seller; only once', async () => {
    const s = await newSeller();
    await availableSale(t, s.id, 5000);
    const [p] = (await batch({ seller_ids: [s.id] })).body.payouts;
    const res = await t.http
      .put(`${PAYOUTS}/${p.id}/paid`)
      .set(admin.auth)
      .send({ bank_reference: 'PP-77' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'paid', bank_reference: 'PP-77' });
    expect(res.body.paid_at).toEqual(expect.any(String));
    expect(await mailsTo(s.email)).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'payout_paid' })]),
    );
    const again = await t.http
      .put(`${PAYOUTS}/${p.id}/paid`)
      .set(admin.auth)
      .send({ bank_reference: 'PP-78' });
    expect(again.status).toBe(409);
    const failed = await t.http
      .put(`${PAYOUTS}/${p.id}/failed`)
      .set(admin.auth)
      .send({ reason: 'x' });
    expect(failed.status).toBe(409);
    expect(await balance(s)).toMatchObject({ available: 0, paid_out: 4500 });
    expect(
      (
        await t.http
          .put(`${PAYOUTS}/${randomUUID()}/paid`)
          .set(admin.auth)
          .send({ bank_reference: 'x' })
      ).status,
    ).toBe(404);
    expect((await t.http.put(`${PAYOUTS}/${p.id}/paid`).set(admin.auth).send({})).status).toBe(400);
  });

  it('failed: the money returns to the balance with a payout_reversal entry', async () => {
    const s = await newSeller();
    await availableSale(t, s.id, 5000);
    const [p] = (await batch({ seller_ids: [s.id] })).body.payouts;
    const res = await t.http
      .put(`${PAYOUTS}/${p.id}/failed`)
      .set(admin.auth)
      .send({ reason: 'IBAN closed' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'failed', failure_reason: 'IBAN closed' });
    expect(await balance(s)).toMatchObject({ available: 4500, paid_out: 0 });
    const rev = await t.http.get(`${API}/seller/ledger?type=payout_reversal`).set(s.auth);
    expect(rev.body.items).toEqual([
      expect.objectContaining({ amount: 4500, payout_id: p.id, note: 'IBAN closed' }),
    ]);
    const again = await t.http
      .put(`${PAYOUTS}/${p.id}/failed`)
      .set(admin.auth)
      .send({ reason: 'x' });
    expect(again.status).toBe(409);
    // the failed payout is not in the register; the money can be paid again
    const reg = await t.http.get(`${PAYOUTS}/batches/${p.batch_id}/register`).set(admin.auth);
    expect(reg.text.split('\r\n')).toHaveLength(2);
    expect((await batch({ seller_ids: [s.id] })).body.payouts[0].amount).toBe(4500);
  });

  it('lists payouts with filters, and a seller sees only their own', async () => {
    const s = await newSeller();
    const other = await newSeller();
    await availableSale(t, s.id, 2000);
    await availableSale(t, other.id, 2000);
    const res = await batch({ seller_ids: [s.id, other.id] });
    const byBatch = await t.http.get(`${PAYOUTS}?batch_id=${res.body.batch_id}`).set(admin.auth);
    expect(byBatch.body.total).toBe(2);
    const bySeller = await t.http
      .get(`${PAYOUTS}?seller_id=${s.id}&status=pending`)
      .set(admin.auth);
    expect(bySeller.body.items.map((p: PayoutBody) => p.seller_id)).toEqual([s.id]);
    const own = await t.http.get(`${API}/seller/payouts`).set(s.auth);
    expect(own.body).toMatchObject({ total: 1, page: 1 });
    expect(own.body.items[0].seller_id).toBe(s.id);
    expect((await t.http.get(`${PAYOUTS}?status=lost`).set(admin.auth)).status).toBe(400);
  });

  it('two batches made at once pay each balance once', async () => {
    const sellers = await Promise.all([1, 2, 3, 4].map(() => newSeller()));
    for (const s of sellers) await availableSale(t, s.id, 10_000);
    const ids = sellers.map((s) => s.id);
    const results = await Promise.all([1, 2, 3].map(() => batch({ seller_ids: ids })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const paid = results.flatMap((r) => r.body.payouts as PayoutBody[]);
    expect(paid.map((p) => p.seller_id).sort()).toEqual([...ids].sort());
    expect(paid.every((p) => p.amount === 9000)).toBe(true);
    for (const s of sellers) {
      expect(await balance(s)).toMatchObject({ available: 0, paid_out: 9000 });
      const c = await ledgerVsSummary(t, s.id);
      expect(c.entries).toBe(c.summary);
    }
  });

  it('a batch that dies after writing its payouts leaves none: one transaction, then paid whole', async () => {
    const sellers = await Promise.all([1, 2, 3].map(() => newSeller()));
    for (const s of sellers) await availableSale(t, s.id, 10_000);
    const ids = sellers.map((s) => s.id);
    const repo = t.app.get(PayoutRepository);
    const insert = repo.insertBatch.bind(repo);
    // the payout rows are in, then the process fails before their ledger entries
    const spy = jest.spyOn(repo, 'insertBatch').mockImplementationOnce(async (...a) => {
      await insert(...a);
      throw new Error('killed mid-batch');
    });
    const failed = await batch({ seller_ids: ids });
    expect(failed.status).toBe(500);
    spy.mockRestore();
    const p = t.db === 'postgres' ? (i: number) => `$${i + 1}` : () => '?';
    const list = ids.map((_, i) => p(i)).join(', ');
    expect(await t.ds.query(`SELECT id FROM payouts WHERE seller_id IN (${list})`, ids)).toEqual(
      [],
    );
    expect(
      await t.ds.query(
        `SELECT id FROM payout_batches b WHERE NOT EXISTS (SELECT 1 FROM payouts x WHERE x.batch_id = b.id) AND b.payout_count > 0`,
      ),
    ).toEqual([]);
    for (const s of sellers) {
      expect(await balance(s)).toMatchObject({ available: 9000, paid_out: 0 });
      const c = await ledgerVsSummary(t, s.id);
      expect(c.entries).toBe(c.summary);
    }
    // nothing half-written stands in the way: the next batch pays each once
    const again = await batch({ seller_ids: ids });
    expect(again.status).toBe(201);
    expect(again.body.payouts.map((x: PayoutBody) => x.seller_id).sort()).toEqual([...ids].sort());
    for (const s of sellers)
      expect(await balance(s)).toMatchObject({ available: 0, paid_out: 9000 });
  });

  it('payouts racing with adjustments never count money twice', async () => {
    const s = await newSeller();
    await availableSale(t, s.id, 10_000);
    const work = [
      ...Array.from({ length: 10 }, () => batch({ seller_ids: [s.id], min_amount: 0.01 })),
      ...Array.from({ length: 20 }, (_, i) =>
        t.http
          .post(`${API}/admin/sellers/${s.id}/adjustments`)
          .set(admin.auth)
          .send({ amount: i % 2 ? 10 : -5, note: 'race' }),
      ),
    ];
    const results = await Promise.all(work);
    expect(results.every((r) => r.status === 201)).toBe(true);
    const paid = results
      .slice(0, 10)
      .flatMap((r) => r.body.payouts as PayoutBody[])
      .reduce((a, p) => a + Math.round(p.amount * 100), 0);
    const c = await ledgerVsSummary(t, s.id);
    expect(c.entries).toBe(c.summary);
    expect(c.count).toBe(c.summaryCount);
    const b = await balance(s);
    expect(Math.round((b.available + b.pending) * 100)).toBe(c.entries);
    expect(Math.round(b.paid_out * 100)).toBe(paid);
    // 9000 tenge in, 50 tenge of net adjustments: what was paid plus what is left is all of it
    expect(paid + c.entries).toBe(900_000 + 5000);
    expect(c.entries).toBeGreaterThanOrEqual(-10_000);
  });
});

describe('finance: payouts with the demo provider (e2e)', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp({ PAYOUT_PROVIDER: 'demo', PAYOUT_KNP: '861' });
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  it('pays at once with a bank reference and mails the seller', async () => {
    const s = await makeUser(t.http, 'seller');
    await shopFor(t, s);
    await availableSale(t, s.id, 3000);
    const res = await t.http
      .post(PAYOUTS)
      .set(admin.auth)
      .send({ seller_ids: [s.id] });
    expect(res.status).toBe(201);
    expect(res.body.payouts).toEqual([
      expect.objectContaining({
        status: 'paid',
        amount: 2700,
        bank_reference: expect.stringMatching(/^DEMO-/),
      }),
    ]);
    const listed = await t.http.get(`${PAYOUTS}?seller_id=${s.id}`).set(admin.auth);
    expect(listed.body.items[0].status).toBe('paid');
    const mails = await t.ds.query(
      `SELECT kind FROM mail_outbox WHERE to_address = ${t.db === 'postgres' ? '$1' : '?'}`,
      [s.email],
    );
    expect(mails.map((m: { kind: string }) => m.kind)).toContain('payout_paid');
    const reg = await t.http
      .get(`${PAYOUTS}/batches/${res.body.batch_id}/register`)
      .set(admin.auth);
    expect(reg.text.split('\r\n')[1]).toContain(',861,2700.00,');
  });
});
