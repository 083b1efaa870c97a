import { createTestApp, TestApp } from '../create-test-app';
import { Actor, login, makeUser } from '../factories/users';
import { fillPath, openApiOf, Operation, operationsOf } from './openapi';

/**
 * OWASP API5 (broken function level authorization): every operation of the OpenAPI document ×
 * {anonymous, customer, seller, admin}, checked against the contract's rule for it. An operation
 * without a declared rule fails the test, so a new route must declare who may call it.
 */
type Access = 'public' | 'signed-in' | 'seller' | 'admin' | 'provider';

const RULES: Record<string, Access> = {
  'GET /health': 'public',
  'GET /health/ready': 'public',
  'POST /api/v1/auth/register': 'public',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/auth/me': 'signed-in',
  'PUT /api/v1/auth/profile': 'signed-in',
  'POST /api/v1/auth/refresh': 'public',
  'POST /api/v1/auth/logout': 'public',
  'POST /api/v1/auth/logout-all': 'signed-in',
  'GET /api/v1/auth/sessions': 'signed-in',
  'DELETE /api/v1/auth/sessions/{id}': 'signed-in',
  'POST /api/v1/auth/password/forgot': 'public',
  'POST /api/v1/auth/password/reset': 'public',
  'POST /api/v1/auth/email/verify': 'public',
  'POST /api/v1/auth/email/verify-request': 'signed-in',

  'GET /api/v1/products': 'public',
  'GET /api/v1/products/{id}': 'public',
  'POST /api/v1/products': 'seller',
  'PUT /api/v1/products/{id}': 'seller',
  'DELETE /api/v1/products/{id}': 'seller',

  'GET /api/v1/wishlist': 'signed-in',
  'POST /api/v1/wishlist/items': 'signed-in',
  'GET /api/v1/wishlist/items/{product_id}': 'signed-in',
  'DELETE /api/v1/wishlist/items/{product_id}': 'signed-in',

  'GET /api/v1/cart': 'signed-in',
  'DELETE /api/v1/cart': 'signed-in',
  'POST /api/v1/cart/items': 'signed-in',
  'PUT /api/v1/cart/items/{product_id}': 'signed-in',
  'DELETE /api/v1/cart/items/{product_id}': 'signed-in',

  'POST /api/v1/orders': 'signed-in',
  'GET /api/v1/orders': 'signed-in',
  'GET /api/v1/orders/{id}': 'signed-in',
  'PUT /api/v1/orders/{id}/cancel': 'signed-in',
  'PUT /api/v1/orders/{id}/status': 'seller',

  'POST /api/v1/payments': 'signed-in',
  'GET /api/v1/payments/{id}': 'signed-in',
  'GET /api/v1/payments/order/{order_id}': 'signed-in',
  'POST /api/v1/payments/webhooks/{provider}': 'provider',

  'POST /api/v1/reviews': 'signed-in',
  'GET /api/v1/reviews': 'public',
  'PUT /api/v1/reviews/{id}': 'signed-in',
  'DELETE /api/v1/reviews/{id}': 'signed-in',

  'GET /api/v1/seller/products': 'seller',
  'GET /api/v1/seller/products/{id}/stock-movements': 'seller',
  'GET /api/v1/seller/orders': 'seller',
  'GET /api/v1/seller/analytics': 'seller',
  'GET /api/v1/seller/shop': 'seller',
  'PUT /api/v1/seller/shop': 'seller',
  'POST /api/v1/seller/shop/submit': 'seller',
  'PUT /api/v1/seller/shop/holiday': 'seller',
  'GET /api/v1/sellers/{slug}': 'public',

  'GET /api/v1/admin/dashboard': 'admin',
  'GET /api/v1/admin/stats': 'admin',
  'GET /api/v1/admin/users': 'admin',
  'PUT /api/v1/admin/users/{id}/role': 'admin',
  'PUT /api/v1/admin/users/{id}/block': 'admin',
  'PUT /api/v1/admin/users/{id}/unblock': 'admin',
  'GET /api/v1/admin/orders': 'admin',
  'GET /api/v1/admin/products': 'admin',
  'GET /api/v1/admin/mail': 'admin',
  'POST /api/v1/admin/mail/{id}/retry': 'admin',
  'GET /api/v1/admin/refunds': 'admin',
  'POST /api/v1/admin/refunds/{id}/mark-paid': 'admin',
  'POST /api/v1/media': 'seller',
  'GET /api/v1/admin/sellers': 'admin',
  'PUT /api/v1/admin/sellers/{seller_id}/approve': 'admin',
  'PUT /api/v1/admin/sellers/{seller_id}/reject': 'admin',
  'PUT /api/v1/admin/sellers/{seller_id}/suspend': 'admin',
  'PUT /api/v1/admin/sellers/{seller_id}/reinstate': 'admin',

  'GET /api/v1/analytics/sales': 'admin',
  'GET /api/v1/analytics/products': 'admin',
  'GET /api/v1/analytics/users': 'admin',
  'GET /api/v1/analytics/dashboard': 'admin',

  'GET /api/v1/admin/finance': 'admin',
  'GET /api/v1/admin/commission-rules': 'admin',
  'POST /api/v1/admin/commission-rules': 'admin',
  'PUT /api/v1/admin/commission-rules/{id}': 'admin',
  'DELETE /api/v1/admin/commission-rules/{id}': 'admin',
  'GET /api/v1/seller/balance': 'seller',
  'GET /api/v1/seller/ledger': 'seller',
  'GET /api/v1/seller/statements/{month}': 'seller',
  'GET /api/v1/seller/payouts': 'seller',
  'GET /api/v1/admin/sellers/{seller_id}/balance': 'admin',
  'GET /api/v1/admin/sellers/{seller_id}/ledger': 'admin',
  'POST /api/v1/admin/sellers/{seller_id}/adjustments': 'admin',
  'POST /api/v1/admin/payouts': 'admin',
  'GET /api/v1/admin/payouts': 'admin',
  'GET /api/v1/admin/payouts/batches/{batch_id}/register': 'admin',
  'PUT /api/v1/admin/payouts/{id}/paid': 'admin',
  'PUT /api/v1/admin/payouts/{id}/failed': 'admin',
  // returns
  'POST /api/v1/returns': 'signed-in',
  'GET /api/v1/returns': 'signed-in',
  'GET /api/v1/returns/{id}': 'signed-in',
  'PUT /api/v1/returns/{id}/approve': 'seller',
  'PUT /api/v1/returns/{id}/reject': 'seller',
  'PUT /api/v1/returns/{id}/receive': 'seller',
  'PUT /api/v1/returns/{id}/cancel': 'signed-in',
  'PUT /api/v1/returns/{id}/refund-paid': 'admin',
};

const ROLES = ['anonymous', 'customer', 'seller', 'admin'] as const;
type Role = (typeof ROLES)[number];

/** What the rule says a caller of this role must get: refused with 401, 403, or let through. */
function expected(access: Access, role: Role): 401 | 403 | 'through' {
  if (access === 'public') return 'through';
  if (access === 'provider') return role === 'anonymous' ? 401 : 401; // unsigned callback: 401 for all
  if (role === 'anonymous') return 401;
  if (access === 'signed-in') return 'through';
  if (access === 'seller') return role === 'customer' ? 403 : 'through';
  return role === 'admin' ? 'through' : 403;
}

describe('function level authorization matrix (OWASP API5)', () => {
  let t: TestApp;
  let ops: Operation[];
  const actors: Partial<Record<Role, Actor>> = {};

  beforeAll(async () => {
    t = await createTestApp();
    ops = operationsOf(openApiOf(t));
    actors.customer = await makeUser(t.http, 'customer');
    actors.seller = await makeUser(t.http, 'seller');
    actors.admin = await makeUser(t.http, 'admin');
  });
  afterAll(() => t.close());

  it('declares a rule for every operation in the OpenAPI document, and no rule for a route that is gone', () => {
    const documented = ops.map((o) => o.key).sort();
    expect(documented.filter((k) => !(k in RULES))).toEqual([]);
    expect(Object.keys(RULES).filter((k) => !documented.includes(k))).toEqual([]);
  });

  it('answers every operation × role as its rule says', async () => {
    const failures: string[] = [];
    for (const o of ops) {
      const access = RULES[o.key];
      if (!access) continue;
      for (const role of ROLES) {
        const url = fillPath(o.path, { provider: 'kaspi' });
        let req = t.http[o.method](url);
        if (role !== 'anonymous') req = req.set(actors[role]!.auth);
        if (o.method === 'post' || o.method === 'put') req = req.send({});
        const res = await req;
        // logout-all ended the caller's session: sign in again for the operations after it
        if (role !== 'anonymous' && o.key === 'POST /api/v1/auth/logout-all' && res.status < 300) {
          const a = actors[role]!;
          actors[role] = await login(t.http, a.email, a.password);
        }
        const want = expected(access, role);
        const got = res.status;
        const roleRefusal = got === 403 && res.body?.code === 'FORBIDDEN';
        const ok =
          want === 'through'
            ? got !== 401 && !roleRefusal && got < 500
            : got === want && (want !== 403 || roleRefusal);
        if (!ok)
          failures.push(
            `${o.key} as ${role}: got ${got} ${JSON.stringify(res.body).slice(0, 120)}, want ${want}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });
});
