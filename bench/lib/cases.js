'use strict';
// The benchmark cases (see the issue): what each one asks the server.
const { createHmac, randomUUID } = require('node:crypto');

const API = '/api/v1';

/** An HS256 access token exactly like the server issues (same secret, issuer, audience, claims). */
function mintToken(secret, user) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({
    sub: user.id,
    role: 'customer',
    tv: 0,
    sid: user.sid,
    iat: now,
    exp: now + 6 * 3600,
    aud: 'bibarys-api',
    iss: 'bibarys',
  });
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

const get = (name, path) => ({ name, method: 'GET', path });

/**
 * Builds every case for one seeded catalog. `meta` is what the seeder returned, `secret` the
 * server's JWT_SECRET.
 */
function buildCases(meta, secret) {
  const deepPage = Math.max(1, Math.min(2000, Math.floor(meta.activeProducts / 50)));
  const ids = meta.sampleProductIds;
  let n = 0;
  const customers = meta.customers;
  const tokens = new Map();
  const tokenOf = (c) => {
    let t = tokens.get(c.id);
    if (!t) tokens.set(c.id, (t = mintToken(secret, c)));
    return t;
  };
  let nextCustomer = 0;
  let nextLogin = 0;
  let nextRegistration = 0;
  const hot = meta.hotProductIds;
  const scarce = meta.scarceProductIds;

  const cases = {
    a: { title: 'listing, page 1', steps: [get('list', `${API}/products`)] },
    b: {
      title: `deep page (page ${deepPage}, page_size 50)`,
      steps: [get('list', `${API}/products?page=${deepPage}&page_size=50`)],
    },
    c: {
      title: 'category + price range + sort',
      steps: [
        get(
          'list',
          `${API}/products?category=electronics&min_price=5000&max_price=300000&sort=price_asc`,
        ),
      ],
    },
    d: {
      title: 'search «смартфон»',
      steps: [get('list', `${API}/products?search=${encodeURIComponent('смартфон')}`)],
    },
    d2: {
      title: 'search «ұлттық» (Kazakh letters)',
      steps: [get('list', `${API}/products?search=${encodeURIComponent('ұлттық')}`)],
    },
    e: {
      title: 'product by id',
      // the warm-up reads every id once first (see measure in run.js)
      warmEach: ids.length,
      steps: [
        { name: 'product', method: 'GET', path: () => `${API}/products/${ids[n++ % ids.length]}` },
      ],
    },
    f: {
      title: 'checkout: add to cart + POST /orders',
      // each round is a new customer: one line (1 in 20 a scarce product with 5 units), then the order
      begin(ctx) {
        ctx.customer = customers[nextCustomer++ % customers.length];
        const k = nextCustomer;
        ctx.product =
          k % 20 === 0 && scarce.length ? scarce[k % scarce.length] : hot[k % hot.length];
        ctx.auth = { authorization: `Bearer ${tokenOf(ctx.customer)}` };
      },
      steps: [
        {
          name: 'cart',
          method: 'POST',
          path: `${API}/cart/items`,
          headers: (ctx) => ctx.auth,
          body: (ctx) => ({ product_id: ctx.product, quantity: 1 }),
          onStatus: (s, ctx) => (ctx.inCart = s === 201),
        },
        {
          name: 'order',
          method: 'POST',
          path: `${API}/orders`,
          skip: (ctx) => !ctx.inCart,
          headers: (ctx) => ({ ...ctx.auth, 'idempotency-key': randomUUID() }),
          body: () => ({
            delivery_method: 'standard',
            delivery_address: 'г. Алматы, пр. Абая 10, кв. 5',
            phone: '+77011234567',
          }),
        },
      ],
    },
    g: {
      title: 'login',
      steps: [
        {
          name: 'login',
          method: 'POST',
          path: `${API}/auth/login`,
          body: () => ({
            email: customers[nextLogin++ % customers.length].email,
            password: meta.password,
          }),
        },
      ],
    },
    r: {
      title: 'register flood (one client)',
      // every request a new account from the same address: past RATE_LIMIT_REGISTER, 429s
      steps: [
        {
          name: 'register',
          method: 'POST',
          path: `${API}/auth/register`,
          body: () => ({
            email: `flood${process.pid}.${nextRegistration++}@bench.bibarys.kz`,
            password: meta.password,
            first_name: 'Флуд',
            last_name: 'Тестов',
          }),
        },
      ],
    },
  };
  for (const [key, c] of Object.entries(cases)) c.key = key;
  return cases;
}

module.exports = { buildCases, mintToken };
