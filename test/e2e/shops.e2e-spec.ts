import { randomUUID } from 'node:crypto';

import { SellerStanding } from '../../src/modules/shops/seller-standing';
import { ShopsRepository } from '../../src/modules/shops/shops.repository';
import { ADMIN, createTestApp, TestApp } from '../create-test-app';
import { insertProduct } from '../factories/products';
import { Actor, makeUser } from '../factories/users';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';

const KASPI_BIN = '971240001315'; // Kaspi Bank JSC
const HALYK_BIN = '940140000385'; // Halyk Bank JSC
const IIN = '870412300129';
const IBAN = 'KZ86125KZT5004100100'; // the IBAN registry's KZ example
const IBAN_2 = 'KZ244350000012344567';

const LEGAL = { legal_form: 'too', bin_iin: KASPI_BIN, iban: IBAN, bik: 'CASPKZKA', kbe: '17' };
const PRIVATE_FIELDS = [
  'legal_form',
  'bin_iin',
  'iban',
  'bik',
  'kbe',
  'vat_payer',
  'support_phone',
  'seller_id',
  'status',
  'status_reason',
  'id',
];

const smtpEnv = (port: number) => ({
  EMAIL_TRANSPORT: 'smtp',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(port),
});
const about = (to: string, text: string) => (m: ReceivedMail) =>
  m.to.includes(to) && m.raw.includes(text);

describe('shops (e2e)', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let admin: Actor;
  let customer: Actor;

  const shopOf = (who: Actor) => t.http.get('/api/v1/seller/shop').set(who.auth);
  const edit = (who: Actor, body: Record<string, unknown>) =>
    t.http.put('/api/v1/seller/shop').set(who.auth).send(body);
  const submit = (who: Actor) => t.http.post('/api/v1/seller/shop/submit').set(who.auth);
  const decide = (sellerId: string, action: string, body?: Record<string, unknown>) => {
    const req = t.http.put(`/api/v1/admin/sellers/${sellerId}/${action}`).set(admin.auth);
    return body ? req.send(body) : req;
  };
  const history = async (who: Actor) =>
    t.app.get(ShopsRepository).historyOf((await shopOf(who)).body.id);

  /** A seller whose shop is complete and, unless `stop`, taken as far as `until`. */
  async function sellerWithShop(name: string, until: 'draft' | 'pending_review' | 'approved') {
    const s = await makeUser(t.http, 'seller');
    expect((await edit(s, { name, ...LEGAL })).status).toBe(200);
    if (until !== 'draft') expect((await submit(s)).status).toBe(200);
    if (until === 'approved') expect((await decide(s.id, 'approve')).status).toBe(200);
    return s;
  }

  beforeAll(async () => {
    t = await createTestApp(smtpEnv(await sink.start()));
    admin = await makeUser(t.http, 'admin');
    customer = await makeUser(t.http, 'customer');
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('GET /seller/shop makes a draft on the first call and returns the same shop after', async () => {
    const s = await makeUser(t.http, 'seller');
    const first = await shopOf(s);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      seller_id: s.id,
      status: 'draft',
      name: null,
      slug: null,
      holiday: false,
      rating: 0,
      review_count: 0,
      approved_at: null,
    });
    const [a, b] = await Promise.all([shopOf(s), shopOf(s)]);
    expect([a.body.id, b.body.id]).toEqual([first.body.id, first.body.id]);
    expect((await shopOf(customer)).status).toBe(403);
    expect((await t.http.get('/api/v1/seller/shop')).status).toBe(401);
  });

  it('PUT /seller/shop stores normalised fields and derives a unique slug from the name', async () => {
    const s = await makeUser(t.http, 'seller');
    const res = await edit(s, {
      name: 'Дала Тойс',
      city: 'Алматы',
      support_phone: '8 (701) 123-45-67',
      legal_form: 'too',
      bin_iin: KASPI_BIN,
      iban: 'kz86 125k zt50 0410 0100',
      bik: 'caspkzka',
      kbe: '17',
      vat_payer: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Дала Тойс',
      slug: 'dala-tois',
      support_phone: '+77011234567',
      iban: IBAN,
      bik: 'CASPKZKA',
      vat_payer: true,
      status: 'draft',
    });
    const other = await makeUser(t.http, 'seller');
    expect((await edit(other, { name: 'Дала тойс' })).body.slug).toBe('dala-tois-2');
    // a slug of another shop → 409 naming slug, nothing changed
    const taken = await edit(other, { slug: 'dala-tois', city: 'Шымкент' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('SLUG_TAKEN');
    expect(taken.body.errors).toEqual([
      expect.objectContaining({ field: 'slug', code: 'SLUG_TAKEN' }),
    ]);
    expect((await shopOf(other)).body).toMatchObject({ slug: 'dala-tois-2', city: null });
    // its own slug again is fine
    expect((await edit(s, { slug: 'dala-tois' })).status).toBe(200);
  });

  it('sellers naming their shops alike at the same moment each get a slug of their own', async () => {
    const sellers = await Promise.all(Array.from({ length: 6 }, () => makeUser(t.http, 'seller')));
    const name = `Жібек жолы ${randomUUID().slice(0, 8)}`;
    const res = await Promise.all(sellers.map((s) => edit(s, { name })));
    expect(res.map((r) => r.status)).toEqual(sellers.map(() => 200));
    const slugs = res.map((r) => r.body.slug as string);
    expect(new Set(slugs).size).toBe(sellers.length);
    // the shortest is the one without a number: the name's random part may itself be all digits
    const base = slugs.reduce((a, b) => (b.length < a.length ? b : a));
    expect(base).toMatch(/^zhibek-zholy-/);
    expect([...slugs].sort()).toEqual([base, ...[2, 3, 4, 5, 6].map((n) => `${base}-${n}`)].sort());
  });

  it.each([
    ['bin_iin', { bin_iin: '971240001316' }, 'INVALID_BIN_IIN'],
    ['bin_iin', { bin_iin: '90010130080' }, 'INVALID_BIN_IIN'],
    ['bin_iin', { legal_form: 'too', bin_iin: IIN }, 'INVALID_BIN_IIN'],
    ['bin_iin', { legal_form: 'ip', bin_iin: HALYK_BIN }, 'INVALID_BIN_IIN'],
    ['iban', { iban: 'KZ87125KZT5004100100' }, 'INVALID_IBAN'],
    ['iban', { iban: 'DE89370400440532013000' }, 'INVALID_IBAN'],
    ['bik', { bik: 'KCJB' }, 'INVALID_BIK'],
    ['kbe', { kbe: '31' }, 'INVALID_KBE'],
    ['support_phone', { support_phone: '+7 727 123 45 67' }, 'INVALID_PHONE'],
    ['slug', { slug: 'Bad Slug' }, 'INVALID_SLUG'],
    ['legal_form', { legal_form: 'ooo' }, 'IS_IN'],
    ['name', { name: '' }, 'MIN_LENGTH'],
    ['vat_payer', { vat_payer: 'yes' }, 'IS_BOOLEAN'],
    ['status', { status: 'approved' }, 'UNKNOWN_FIELD'],
  ])('a bad %s → 400 naming it (%j), nothing changed', async (field, body, code) => {
    const s = await makeUser(t.http, 'seller');
    await edit(s, { name: 'Бастау', city: 'Астана' });
    const before = (await shopOf(s)).body;
    const res = await edit(s, { city: 'Караганда', ...body });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field, code })]);
    expect(res.body.message).toEqual([res.body.errors[0].message]); // the old message list stays
    expect((await shopOf(s)).body).toEqual(before);
  });

  it('checks the BIN/IIN against the legal form already stored', async () => {
    const s = await makeUser(t.http, 'seller');
    expect((await edit(s, { legal_form: 'too' })).status).toBe(200);
    const res = await edit(s, { bin_iin: IIN });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'bin_iin', code: 'INVALID_BIN_IIN' }),
    ]);
    expect((await edit(s, { bin_iin: KASPI_BIN })).status).toBe(200);
    // changing the form alone to one the stored number does not fit is refused too
    const form = await edit(s, { legal_form: 'ip' });
    expect(form.status).toBe(400);
    expect((await shopOf(s)).body.legal_form).toBe('too');
    expect((await edit(s, { legal_form: 'ip', bin_iin: IIN })).status).toBe(200);
  });

  it('submit: 400 naming every missing field, then pending_review with a mail to the admins', async () => {
    const s = await makeUser(t.http, 'seller');
    await edit(s, { name: 'Шанырак', bik: 'HSBKKZKX' });
    const res = await submit(s);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('SHOP_INCOMPLETE');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['bin_iin', 'iban', 'kbe', 'legal_form'].sort(),
    );
    expect((await shopOf(s)).body.status).toBe('draft');
    await edit(s, { legal_form: 'ip', bin_iin: IIN, iban: IBAN, kbe: '19' });
    const ok = await submit(s);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('pending_review');
    await sink.waitFor((m) => m.some(about(ADMIN.email, 'Магазин «Шанырак» ждёт проверки')));
    expect((await submit(s)).body.code).toBe('INVALID_TRANSITION');
    // not public while under review
    expect((await t.http.get(`/api/v1/sellers/${ok.body.slug}`)).status).toBe(404);
  });

  it('approve → public page without legal or bank fields; the seller is mailed', async () => {
    const s = await sellerWithShop('Көктем', 'pending_review');
    // product_count: the seller's active products only (not the inactive one, nor another's)
    for (let i = 0; i < 3; i++) await insertProduct(t.ds, s.id);
    await insertProduct(t.ds, s.id, { isActive: false });
    await insertProduct(t.ds, customer.id);
    const res = await decide(s.id, 'approve');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'approved', bin_iin: KASPI_BIN, iban: IBAN });
    expect(res.body.approved_at).not.toBeNull();
    await sink.waitFor((m) => m.some(about(s.email, 'Магазин «Көктем» одобрен')));
    for (const who of [undefined, customer, await makeUser(t.http, 'seller'), s]) {
      const req = t.http.get(`/api/v1/sellers/${res.body.slug}`);
      const page = await (who ? req.set(who.auth) : req);
      expect(page.status).toBe(200);
      expect(page.body).toEqual({
        name: 'Көктем',
        slug: res.body.slug,
        description: '',
        city: null,
        rating: 0,
        review_count: 0,
        holiday: false,
        product_count: 3,
        created_at: res.body.created_at,
      });
      for (const f of PRIVATE_FIELDS) expect(page.body).not.toHaveProperty(f);
    }
    expect((await decide(s.id, 'approve')).body.code).toBe('INVALID_TRANSITION');
    expect((await t.http.get('/api/v1/admin/sellers').set(customer.auth)).status).toBe(403);
    expect((await t.http.get('/api/v1/admin/sellers').set(s.auth)).status).toBe(403);
  });

  it('reject needs a reason, mails it; the next edit goes back to draft, then submit again', async () => {
    const s = await sellerWithShop('Арман', 'pending_review');
    for (const body of [{}, { reason: '   ' }, { reason: 5 }]) {
      const res = await decide(s.id, 'reject', body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'reason' })]),
      );
    }
    expect((await shopOf(s)).body.status).toBe('pending_review');
    const res = await decide(s.id, 'reject', { reason: 'IBAN не принадлежит продавцу' });
    expect(res.body).toMatchObject({
      status: 'rejected',
      status_reason: 'IBAN не принадлежит продавцу',
    });
    await sink.waitFor((m) => m.some(about(s.email, 'Причина: IBAN не принадлежит продавцу')));
    expect((await submit(s)).body.code).toBe('INVALID_TRANSITION');
    expect((await edit(s, { iban: IBAN_2 })).body).toMatchObject({
      status: 'draft',
      status_reason: null,
    });
    expect((await submit(s)).body.status).toBe('pending_review');
    expect((await history(s)).map((h) => `${h.fromStatus}>${h.toStatus}`)).toEqual([
      'draft>pending_review',
      'pending_review>rejected',
      'rejected>draft',
      'draft>pending_review',
    ]);
  });

  it('suspend (reason required) hides the shop at once; reinstate brings it back', async () => {
    const s = await sellerWithShop('Самал', 'approved');
    const slug = (await shopOf(s)).body.slug;
    const standing = t.app.get(SellerStanding);
    expect(standing.canSell(s.id)).toBe(true);
    expect((await decide(s.id, 'suspend', {})).status).toBe(400);
    expect((await shopOf(s)).body.status).toBe('approved');
    const res = await decide(s.id, 'suspend', { reason: 'Жалобы покупателей' });
    expect(res.body).toMatchObject({ status: 'suspended', status_reason: 'Жалобы покупателей' });
    expect(standing.canSell(s.id)).toBe(false);
    expect(standing.hiddenSellerIds().has(s.id)).toBe(true);
    expect((await t.http.get(`/api/v1/sellers/${slug}`)).status).toBe(404);
    await sink.waitFor((m) => m.some(about(s.email, 'Причина: Жалобы покупателей')));
    expect((await decide(s.id, 'suspend', { reason: 'ещё раз' })).body.code).toBe(
      'INVALID_TRANSITION',
    );
    expect((await decide(s.id, 'reinstate')).body.status).toBe('approved');
    expect(standing.canSell(s.id)).toBe(true);
    expect((await t.http.get(`/api/v1/sellers/${slug}`)).status).toBe(200);
    await sink.waitFor((m) => m.some(about(s.email, 'Магазин «Самал» снова работает')));
  });

  it('editing bank fields of an approved shop sends it back to review, keeping the old values', async () => {
    const s = await sellerWithShop('Береке', 'approved');
    const approvedAt = (await shopOf(s)).body.approved_at;
    expect((await edit(s, { description: 'Новое описание', city: 'Астана' })).body.status).toBe(
      'approved',
    );
    expect((await edit(s, { iban: IBAN })).body.status).toBe('approved'); // the same value
    const res = await edit(s, { iban: IBAN_2, bik: 'KCJBKZKX' });
    expect(res.body).toMatchObject({
      status: 'pending_review',
      iban: IBAN_2,
      approved_at: approvedAt,
    });
    expect(t.app.get(SellerStanding).canSell(s.id)).toBe(true); // sales go on
    const last = (await history(s)).at(-1)!;
    expect(last).toMatchObject({
      fromStatus: 'approved',
      toStatus: 'pending_review',
      changedBy: s.id,
    });
    expect(JSON.parse(last.previousValues!)).toEqual({
      legal_form: 'too',
      bin_iin: KASPI_BIN,
      iban: IBAN,
      bik: 'CASPKZKA',
      kbe: '17',
    });
    await sink.waitFor((m) =>
      m.some(about(ADMIN.email, 'изменил юридические или банковские данные магазина «Береке»')),
    );
    expect((await decide(s.id, 'approve')).body.status).toBe('approved');
  });

  it('holiday mode is the seller’s switch, shown on the public page', async () => {
    const s = await sellerWithShop('Жайлау', 'approved');
    const bad = await t.http
      .put('/api/v1/seller/shop/holiday')
      .set(s.auth)
      .send({ holiday: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ field: 'holiday', code: 'IS_BOOLEAN' }),
    ]);
    const res = await t.http.put('/api/v1/seller/shop/holiday').set(s.auth).send({ holiday: true });
    expect(res.body).toMatchObject({ holiday: true, status: 'approved' });
    expect(t.app.get(SellerStanding).onHoliday(s.id)).toBe(true);
    expect((await t.http.get(`/api/v1/sellers/${res.body.slug}`)).body.holiday).toBe(true);
  });

  it('the admin queue filters by status and searches name, slug and BIN/IIN', async () => {
    const s = await sellerWithShop('Алтын Орда', 'pending_review');
    const list = (q: Record<string, string>) =>
      t.http.get('/api/v1/admin/sellers').set(admin.auth).query(q);
    for (const search of ['алтын', 'АЛТЫН ОРДА', 'altyn-orda', KASPI_BIN.slice(0, 6)]) {
      const res = await list({ search, status: 'pending_review', page_size: '100' });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { seller_id: string }) => i.seller_id)).toContain(s.id);
    }
    const approved = await list({ status: 'approved', search: 'алтын' });
    expect(approved.body.items).toEqual([]);
    const page = await list({ page: '1', page_size: '2' });
    expect(page.body).toMatchObject({ page: 1, page_size: 2 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0]).toHaveProperty('iban'); // admins see everything
    expect((await list({ status: 'closed' })).status).toBe(400);
  });

  it('an unknown seller → 404, a malformed id → 400', async () => {
    const unknown = '5d7a1c4e-2b1f-4c6a-9e7d-3f2a1b0c9d8e';
    for (const action of ['approve', 'reinstate']) {
      expect((await decide(unknown, action)).status).toBe(404);
    }
    expect((await decide(unknown, 'reject', { reason: 'x' })).status).toBe(404);
    const malformed = await decide('not-a-uuid', 'approve');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'seller_id' })]);
    // a seller without a shop
    const s = await makeUser(t.http, 'seller');
    expect((await decide(s.id, 'approve')).status).toBe(404);
  });

  it('two admins racing end in one consistent state, every applied move in the history', async () => {
    // approve × approve: one wins, the other is refused
    const a = await sellerWithShop('Гонка 1', 'pending_review');
    const twice = await Promise.all([decide(a.id, 'approve'), decide(a.id, 'approve')]);
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await history(a)).filter((h) => h.toStatus === 'approved')).toHaveLength(1);

    // approve × suspend: either both apply in that order, or suspend is refused
    for (let i = 0; i < 3; i++) {
      const s = await sellerWithShop(`Гонка ${i + 2}`, 'pending_review');
      const [approve, suspend] = await Promise.all([
        decide(s.id, 'approve'),
        decide(s.id, 'suspend', { reason: 'проверка' }),
      ]);
      expect(approve.status).toBe(200);
      const moves = (await history(s)).map((h) => `${h.fromStatus}>${h.toStatus}`);
      const final = (await shopOf(s)).body.status;
      if (suspend.status === 200) {
        expect(moves.slice(-2)).toEqual(['pending_review>approved', 'approved>suspended']);
        expect(final).toBe('suspended');
      } else {
        expect(suspend.status).toBe(409);
        expect(moves.at(-1)).toBe('pending_review>approved');
        expect(final).toBe('approved');
      }
      expect(t.app.get(SellerStanding).canSell(s.id)).toBe(final === 'approved');
    }
  });
});

describe('shops with SELLER_APPROVAL=manual (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('only a shop approved once sells; an edit back to review keeps selling; suspension stops it', async () => {
    t = await createTestApp({ SELLER_APPROVAL: 'manual' });
    const admin = await makeUser(t.http, 'admin');
    const s = await makeUser(t.http, 'seller');
    const standing = t.app.get(SellerStanding);
    expect(standing.canSell(s.id)).toBe(false); // no shop at all
    expect(standing.sellerFilter()).toMatchObject({ kind: 'only' });
    await t.http
      .put('/api/v1/seller/shop')
      .set(s.auth)
      .send({ name: 'Ручная', ...LEGAL });
    await t.http.post('/api/v1/seller/shop/submit').set(s.auth);
    expect(standing.canSell(s.id)).toBe(false);
    expect(standing.hiddenSellerIds().has(s.id)).toBe(true);
    await t.http.put(`/api/v1/admin/sellers/${s.id}/approve`).set(admin.auth);
    expect(standing.canSell(s.id)).toBe(true);
    await t.http.put('/api/v1/seller/shop').set(s.auth).send({ iban: IBAN_2 });
    expect(standing.canSell(s.id)).toBe(true);
    await t.http.put(`/api/v1/admin/sellers/${s.id}/approve`).set(admin.auth);
    await t.http.put(`/api/v1/admin/sellers/${s.id}/suspend`).set(admin.auth).send({ reason: 'x' });
    expect(standing.canSell(s.id)).toBe(false);
  });
});
