import { randomUUID } from 'node:crypto';

import { UnitOfWork } from '../../src/database/unit-of-work';
import { CommissionLine, CommissionService } from '../../src/modules/finance/commission.service';
import { createTestApp, createTestDatabase, TestApp } from '../create-test-app';
import { Actor, makeUser } from '../factories/users';

const RULES = '/api/v1/admin/commission-rules';

describe('finance: commission rules (e2e)', () => {
  let t: TestApp;
  let admin: Actor;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  const freeze = (lines: CommissionLine[]) =>
    t.app.get(UnitOfWork).run((tx) => t.app.get(CommissionService).freeze(tx, lines));
  const list = async () => (await t.http.get(RULES).set(admin.auth)).body;
  const globalRule = async () =>
    (await list()).find((r: { scope: string }) => r.scope === 'global');

  it('the first migration made one global rule at 10 %', async () => {
    const res = await t.http.get(RULES).set(admin.auth);
    expect(res.status).toBe(200);
    expect(res.body.filter((r: { scope: string }) => r.scope === 'global')).toEqual([
      {
        id: expect.any(String),
        scope: 'global',
        category: null,
        seller_id: null,
        rate_percent: 10,
        min_fee: null,
        max_fee: null,
        created_at: expect.any(String),
      },
    ]);
  });

  it('only admins manage rules', async () => {
    const seller = await makeUser(t.http, 'seller');
    expect((await t.http.get(RULES).set(seller.auth)).status).toBe(403);
    expect((await t.http.get(RULES)).status).toBe(401);
    const post = await t.http
      .post(RULES)
      .set(seller.auth)
      .send({ scope: 'category', category: 'toys', rate_percent: 1 });
    expect(post.status).toBe(403);
  });

  it('creates, changes and deletes category and seller rules', async () => {
    const sellerId = randomUUID();
    const created = await t.http.post(RULES).set(admin.auth).send({
      scope: 'seller',
      seller_id: sellerId,
      rate_percent: 7.25,
      min_fee: 50,
      max_fee: 5000,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      scope: 'seller',
      seller_id: sellerId,
      category: null,
      rate_percent: 7.25,
      min_fee: 50,
      max_fee: 5000,
    });
    const put = await t.http
      .put(`${RULES}/${created.body.id}`)
      .set(admin.auth)
      .send({ rate_percent: 8.5, max_fee: null });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ rate_percent: 8.5, min_fee: 50, max_fee: null });
    expect((await list()).find((r: { id: string }) => r.id === created.body.id)).toEqual(put.body);
    const del = await t.http.delete(`${RULES}/${created.body.id}`).set(admin.auth);
    expect(del.status).toBe(204);
    expect((await list()).some((r: { id: string }) => r.id === created.body.id)).toBe(false);
    expect((await t.http.delete(`${RULES}/${created.body.id}`).set(admin.auth)).status).toBe(404);
    expect((await t.http.put(`${RULES}/${randomUUID()}`).set(admin.auth).send({})).status).toBe(
      404,
    );
  });

  it('a second rule for the same target, or a second global rule → 409', async () => {
    const first = await t.http
      .post(RULES)
      .set(admin.auth)
      .send({ scope: 'category', category: 'books', rate_percent: 5 });
    expect(first.status).toBe(201);
    const again = await t.http
      .post(RULES)
      .set(admin.auth)
      .send({ scope: 'category', category: 'books', rate_percent: 6 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('COMMISSION_RULE_EXISTS');
    const global = await t.http
      .post(RULES)
      .set(admin.auth)
      .send({ scope: 'global', rate_percent: 3 });
    expect(global.status).toBe(409);
    // two at once: one wins
    const sellerId = randomUUID();
    const race = await Promise.all(
      [1, 2, 3].map((r) =>
        t.http
          .post(RULES)
          .set(admin.auth)
          .send({ scope: 'seller', seller_id: sellerId, rate_percent: r }),
      ),
    );
    expect(race.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('the global rule cannot be deleted (409) but can be changed', async () => {
    const g = await globalRule();
    const del = await t.http.delete(`${RULES}/${g.id}`).set(admin.auth);
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('GLOBAL_RULE_REQUIRED');
    expect(await globalRule()).toEqual(g);
  });

  it.each([
    [{ scope: 'category', rate_percent: 5 }, 'category'],
    [{ scope: 'seller', rate_percent: 5 }, 'seller_id'],
    [
      { scope: 'category', category: 'toys', seller_id: randomUUID(), rate_percent: 5 },
      'seller_id',
    ],
    [{ scope: 'category', category: 'cars', rate_percent: 5 }, 'category'],
    [{ scope: 'category', category: 'toys', rate_percent: 100.01 }, 'rate_percent'],
    [{ scope: 'category', category: 'toys', rate_percent: -1 }, 'rate_percent'],
    [{ scope: 'category', category: 'toys', rate_percent: 1.234 }, 'rate_percent'],
    [{ scope: 'category', category: 'toys', rate_percent: 5, min_fee: 10, max_fee: 5 }, 'min_fee'],
    [{ scope: 'category', category: 'toys', rate_percent: 5, min_fee: -1 }, 'min_fee'],
    [{ scope: 'category', category: 'toys' }, 'rate_percent'],
    [{ scope: 'region', rate_percent: 5 }, 'scope'],
    [{ scope: 'category', category: 'toys', rate_percent: 5, note: 'x' }, 'note'],
  ])('refuses %j with 400 naming %s, and makes nothing', async (body, field) => {
    const before = (await list()).length;
    const res = await t.http.post(RULES).set(admin.auth).send(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
    expect((await list()).length).toBe(before);
  });

  it('a change that puts min_fee above max_fee → 400 and the rule stays', async () => {
    const r = await t.http
      .post(RULES)
      .set(admin.auth)
      .send({ scope: 'category', category: 'sports', rate_percent: 5, max_fee: 100 });
    const res = await t.http.put(`${RULES}/${r.body.id}`).set(admin.auth).send({ min_fee: 200 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'min_fee' })]);
    expect((await list()).find((x: { id: string }) => x.id === r.body.id)).toEqual(r.body);
    for (const body of [{ rate_percent: 101 }, { scope: 'global' }, { min_fee: '1' }]) {
      expect((await t.http.put(`${RULES}/${r.body.id}`).set(admin.auth).send(body)).status).toBe(
        400,
      );
    }
  });

  it('freeze prices each line by the most specific rule, and a later change leaves frozen lines alone', async () => {
    const special = randomUUID();
    const plain = randomUUID();
    await t.http
      .post(RULES)
      .set(admin.auth)
      .send({ scope: 'category', category: 'electronics', rate_percent: 4, min_fee: 100 });
    await t.http
      .post(RULES)
      .set(admin.auth)
      .send({ scope: 'seller', seller_id: special, rate_percent: 2.5, max_fee: 1000 });
    const lines = [
      { sellerId: plain, category: 'home', subtotal: 123_455 }, // global 10 %: 12 345.5 → 12 346
      { sellerId: plain, category: 'electronics', subtotal: 1000 }, // 4 % = 40 → min 100
      { sellerId: special, category: 'electronics', subtotal: 10_000_000 }, // 2.5 % → max 1000 tenge
      { sellerId: special, category: 'home', subtotal: 333 }, // 8.325 → 8
    ];
    const frozen = await freeze(lines);
    expect(frozen).toEqual([
      { commissionRate: 1000, commission: 12_346 },
      { commissionRate: 400, commission: 10_000 },
      { commissionRate: 250, commission: 100_000 },
      { commissionRate: 250, commission: 8 },
    ]);
    const g = await globalRule();
    await t.http.put(`${RULES}/${g.id}`).set(admin.auth).send({ rate_percent: 12 });
    expect((await freeze([lines[0]]))[0]).toEqual({ commissionRate: 1200, commission: 14_815 });
    expect(await freeze([])).toEqual([]);
  });
});

describe('finance: COMMISSION_RATE_PERCENT sets the global rule until an admin changes it (e2e)', () => {
  it('applies at boot, and an admin’s change survives a restart with another env value', async () => {
    const db = await createTestDatabase();
    try {
      let t = await createTestApp({ COMMISSION_RATE_PERCENT: '12.5' }, db);
      let admin = await makeUser(t.http, 'admin');
      const rules = async () => (await t.http.get(RULES).set(admin.auth)).body;
      let g = (await rules()).find((r: { scope: string }) => r.scope === 'global');
      expect(g.rate_percent).toBe(12.5);
      await t.close();

      t = await createTestApp({ COMMISSION_RATE_PERCENT: '9' }, db);
      admin = await makeUser(t.http, 'admin');
      g = (await rules()).find((r: { scope: string }) => r.scope === 'global');
      expect(g.rate_percent).toBe(9);
      await t.http.put(`${RULES}/${g.id}`).set(admin.auth).send({ rate_percent: 11 });
      await t.close();

      t = await createTestApp({ COMMISSION_RATE_PERCENT: '15' }, db);
      admin = await makeUser(t.http, 'admin');
      g = (await rules()).find((r: { scope: string }) => r.scope === 'global');
      expect(g.rate_percent).toBe(11);
      await t.close();
    } finally {
      await db.drop();
    }
  });
});
