import { JwtAuthGuard } from '../../src/common/auth/jwt-auth.guard';
import { SellerFinanceController } from '../../src/modules/finance/seller-finance.controller';
import { createTestApp, TestApp } from '../create-test-app';
import { Actor, login, makeUser } from '../factories/users';
import { signJwt } from '../support/jwt';

const BALANCE = '/api/v1/seller/balance';

/**
 * Issue 18: GET /seller/balance is answered in front of Express for a valid seller or admin
 * token (the guard's own strategy and caches, the route's own @Roles); everything else — no
 * token, a forged or ended one, a wrong role — goes through the framework exactly as before.
 */
describe('authenticated fast path (GET /seller/balance)', () => {
  let t: TestApp;
  let seller: Actor;
  let admin: Actor;
  let guard: jest.SpyInstance;

  beforeAll(async () => {
    t = await createTestApp({ LOG_REQUESTS: 'false' });
    seller = await makeUser(t.http, 'seller');
    admin = await makeUser(t.http, 'admin');
  });
  beforeEach(() => {
    guard = jest.spyOn(JwtAuthGuard.prototype, 'canActivate');
  });
  afterEach(() => guard.mockRestore());
  afterAll(() => t.close());

  const same = (h: Record<string, string>) => {
    const { date: _d, 'x-request-id': _r, ...rest } = h;
    return rest;
  };

  it('answers a seller and an admin without the framework, with the framework’s body and headers', async () => {
    for (const who of [seller, admin]) {
      const fast = await t.http.get(BALANCE).set(who.auth).set('X-Request-Id', 'fast-1');
      expect(fast.status).toBe(200);
      expect(guard).not.toHaveBeenCalled();
      expect(fast.headers['x-request-id']).toBe('fast-1');
      // a query string is not the fast path's: the framework answers the same URL
      const framework = await t.http.get(`${BALANCE}?via=framework`).set(who.auth).expect(200);
      expect(guard).toHaveBeenCalledTimes(1);
      expect(fast.body).toEqual(framework.body);
      expect(fast.body).toEqual(expect.objectContaining({ pending: 0, available: 0, paid_out: 0 }));
      expect(same(fast.headers)).toEqual(same(framework.headers));
      guard.mockClear();
    }
  });

  it('counts its answers in the metrics under the route pattern', async () => {
    const count = async () => {
      const text = (await t.http.get('/metrics').expect(200)).text;
      const m =
        /^http_requests_total\{[^}]*route="\/api\/v1\/seller\/balance"[^}]*status="200"[^}]*\} (\d+)$/m.exec(
          text,
        );
      return Number(m?.[1] ?? 0);
    };
    const before = await count();
    await t.http.get(BALANCE).set(seller.auth).expect(200);
    await t.http.get(BALANCE).set(seller.auth).expect(200);
    expect(guard).not.toHaveBeenCalled();
    expect(await count()).toBe(before + 2);
  });

  it('hands every token it does not accept to the guard, which refuses it as before', async () => {
    const customer = await makeUser(t.http, 'customer');
    const claims = JSON.parse(Buffer.from(seller.token.split('.')[1], 'base64url').toString());
    const now = Math.floor(Date.now() / 1000);
    const refused: [string, string | undefined, number][] = [
      ['no token', undefined, 401],
      ['a customer', customer.auth.Authorization, 403],
      [
        'another secret',
        `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, claims, 'x'.repeat(40))}`,
        401,
      ],
      [
        'alg none',
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${seller.token.split('.')[1]}.`,
        401,
      ],
      [
        'expired',
        `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now - 10 })}`,
        401,
      ],
      [
        'another audience',
        `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, aud: 'x' })}`,
        401,
      ],
      [
        'a role claim raised',
        `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, { ...signedAs(customer), role: 'seller' })}`,
        403,
      ],
      ['not bearer', `Token ${seller.token}`, 401],
      [
        'tampered',
        `Bearer ${seller.token.slice(0, -2)}${seller.token.endsWith('a') ? 'bb' : 'aa'}`,
        401,
      ],
    ];
    for (const [name, header, status] of refused) {
      guard.mockClear();
      const req = t.http.get(BALANCE);
      const res = await (header === undefined ? req : req.set('Authorization', header));
      expect({ name, status: res.status }).toEqual({ name, status });
      expect({ name, guard: guard.mock.calls.length }).toEqual({ name, guard: 1 });
      expect(res.headers['x-request-id']).toBeTruthy();
    }
  });

  it('stops a token it accepted before once the token expires (a verified token is kept, its times are not)', async () => {
    const claims = signedAs(seller);
    const exp = Math.floor(Date.now() / 1000) + 2;
    const short = `Bearer ${signJwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp })}`;
    await t.http.get(BALANCE).set('Authorization', short).expect(200);
    await t.http.get(BALANCE).set('Authorization', short).expect(200);
    expect(guard).not.toHaveBeenCalled();
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
    await t.http.get(BALANCE).set('Authorization', short).expect(401);
    expect(guard).toHaveBeenCalledTimes(1);
  });

  it('answers a warm balance from memory, and shows an entry written since on the next request', async () => {
    const s = await makeUser(t.http, 'seller');
    const handler = jest.spyOn(SellerFinanceController.prototype, 'balance');
    try {
      const adjust = (amount: number) =>
        t.http
          .post(`/api/v1/admin/sellers/${s.id}/adjustments`)
          .set(admin.auth)
          .send({ amount, note: 'fast path' })
          .expect(201);
      await adjust(12.5);
      guard.mockClear(); // the admin's POST went through the guard
      // the first read after the entry reads the database (the handler runs), the next ones not
      expect((await t.http.get(BALANCE).set(s.auth).expect(200)).body.available).toBe(12.5);
      expect(handler).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 3; i++) {
        expect((await t.http.get(BALANCE).set(s.auth).expect(200)).body.available).toBe(12.5);
      }
      expect(handler).toHaveBeenCalledTimes(1);
      expect(guard).not.toHaveBeenCalled();
      await adjust(-2.25);
      expect((await t.http.get(BALANCE).set(s.auth).expect(200)).body.available).toBe(10.25);
      expect(handler).toHaveBeenCalledTimes(2);
    } finally {
      handler.mockRestore();
    }
  });

  it('stops an ended session and a blocked seller on the very next request', async () => {
    const s = await makeUser(t.http, 'seller');
    const other = await login(t.http, s.email, s.password);
    await t.http.get(BALANCE).set(s.auth).expect(200); // cached by the guard's caches
    const sid = signedAs(s).sid as string;
    await t.http.delete(`/api/v1/auth/sessions/${sid}`).set(other.auth).expect(204);
    guard.mockClear();
    await t.http.get(BALANCE).set(s.auth).expect(401);
    expect(guard).toHaveBeenCalledTimes(1);

    await t.http.get(BALANCE).set(other.auth).expect(200);
    await t.http.put(`/api/v1/admin/users/${s.id}/block`).set(admin.auth).expect(200);
    await t.http.get(BALANCE).set(other.auth).expect(401);
  });
});

function signedAs(a: Actor): Record<string, unknown> {
  return JSON.parse(Buffer.from(a.token.split('.')[1], 'base64url').toString()) as Record<
    string,
    unknown
  >;
}
